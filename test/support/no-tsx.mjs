// Preloaded (`node --import`) into a process that must run without a TypeScript loader: any
// attempt to import tsx fails loudly, so a test proves the compiled build never falls back to it.
import { register } from 'node:module';

const hook = `export async function resolve(specifier, context, next) {
  if (specifier === 'tsx' || specifier.startsWith('tsx/')) throw new Error('tsx imported at runtime: ' + specifier);
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
