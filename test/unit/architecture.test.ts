/**
 * The dependency rules of docs/DESIGN (core never imports bots or app; the dialog never imports
 * core; adapters never reach the store; only core/store sees Prisma), checked on every import.
 *
 * Imports are read with TypeScript's own pre-processor (`ts.preProcessFile`), not a regex: it is
 * the scanner the compiler uses to find a file's dependencies, so it sees multi-line `import {…}`
 * lists, `import type`, `export … from`, `import()` and `require()`, and it skips specifiers that
 * only appear in comments or strings. It does no type checking, so the whole tree is read in well
 * under a second. (dependency-cruiser would do the same job but pulls a large tree of packages in
 * for five rules.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = normalize(join(dirname(new URL(import.meta.url).pathname), '..', '..'));
const SOURCE_DIRS = ['app', 'bin', 'bench', 'bots', 'core', 'dialogs', 'fakes', 'scripts', 'test'];
const SKIP_DIRS = new Set(['node_modules', 'generated', 'fixtures', 'results']);

interface Rule {
  name: string;
  /** Repo-relative path of the importing file. */
  from: (file: string) => boolean;
  /** Repo-relative path (for relative imports) or bare package specifier. */
  to: (target: string) => boolean;
}

const under = (dir: string) => (path: string) => path === dir || path.startsWith(`${dir}/`);
const isPrisma = (target: string) =>
  target === 'prisma' ||
  target.startsWith('prisma/') ||
  target.startsWith('@prisma/') ||
  target.startsWith('core/store/generated/');

const RULES: Rule[] = [
  { name: 'core must not import bots', from: under('core'), to: under('bots') },
  { name: 'core must not import app', from: under('core'), to: under('app') },
  { name: 'dialogs must not import core', from: under('dialogs'), to: under('core') },
  { name: 'dialogs must not import bots', from: under('dialogs'), to: under('bots') },
  { name: 'dialogs must not import app', from: under('dialogs'), to: under('app') },
  { name: 'bots must not import the store', from: under('bots'), to: under('core/store') },
  { name: 'bots must not import app', from: under('bots'), to: under('app') },
  { name: 'bench must not import test', from: under('bench'), to: under('test') },
  { name: 'fakes must not import test', from: under('fakes'), to: under('test') },
  {
    name: 'only core/store may import Prisma',
    from: (file) => !under('core/store')(file),
    to: isPrisma,
  },
];

/**
 * Imports that break a rule today and are being moved. Each entry is `importer -> target`.
 * The list must end empty; an entry that no longer occurs fails the test, so it only shrinks.
 */
const KNOWN_VIOLATIONS: string[] = [];

interface Violation {
  rule: string;
  edge: string;
}

/** The import specifiers of one source text, resolved to repo-relative paths when relative. */
function importsOf(file: string, text: string): string[] {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles.map(({ fileName }) =>
    fileName.startsWith('.')
      ? normalize(join(dirname(file), fileName))
          .split('\\')
          .join('/')
      : fileName,
  );
}

/** Every rule broken by the given files (repo-relative path -> source text). */
function checkImports(files: Map<string, string>): Violation[] {
  const violations: Violation[] = [];
  for (const [file, text] of files) {
    for (const target of new Set(importsOf(file, text))) {
      for (const rule of RULES) {
        if (rule.from(file) && rule.to(target))
          violations.push({ rule: rule.name, edge: `${file} -> ${target}` });
      }
    }
  }
  return violations;
}

/** True when the code (not a comment or string) reads `process.env`. */
function readsProcessEnv(file: string, text: string): boolean {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  let found = false;
  const visit = (node: ts.Node): void => {
    if (
      ts.isPropertyAccessExpression(node) &&
      node.name.text === 'env' &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'process'
    )
      found = true;
    if (!found) ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function sourceFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // a top-level folder that does not exist (yet)
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(path);
      } else if (/\.(ts|mts|mjs|cjs|js)$/.test(entry.name)) {
        files.set(relative(ROOT, path).split('\\').join('/'), readFileSync(path, 'utf8'));
      }
    }
  };
  for (const dir of SOURCE_DIRS) walk(join(ROOT, dir));
  return files;
}

describe('architecture', () => {
  const files = sourceFiles();
  const violations = checkImports(files);

  it('reads the imports of the whole tree', () => {
    expect(files.size).toBeGreaterThan(150);
    // The composition root reaches core: a sanity check that specifiers are resolved.
    const edges = [...files].flatMap(([file, text]) => importsOf(file, text).map((t) => `${file} -> ${t}`));
    expect(edges.some((edge) => /^(app|bin)\/.* -> core\//.test(edge))).toBe(true);
  });

  it('breaks no dependency rule outside the known list', () => {
    const unexpected = violations.filter((v) => !KNOWN_VIOLATIONS.includes(v.edge));
    expect(unexpected.map((v) => `${v.rule}: ${v.edge}`)).toEqual([]);
  });

  it('lists no known violation that is already gone', () => {
    const present = new Set(violations.map((v) => v.edge));
    expect(KNOWN_VIOLATIONS.filter((edge) => !present.has(edge))).toEqual([]);
  });

  it('lets no adapter read process.env (each gets its config slice and logger)', () => {
    const readers = [...files]
      .filter(([file]) => file.startsWith('bots/') && readsProcessEnv(file, files.get(file) ?? ''))
      .map(([file]) => file);
    expect(readers).toEqual([]);
    expect(readsProcessEnv('bots/x.ts', 'const level = process.env.LOG_LEVEL;')).toBe(true);
    expect(readsProcessEnv('bots/x.ts', '// process.env is not read here')).toBe(false);
  });

  it.each([
    ['core/intake/x.ts', "import { a } from '../../bots/sms/index.ts';", 'core must not import bots'],
    ['core/x.ts', "export { b } from '../app/compose.ts';", 'core must not import app'],
    [
      'dialogs/engine/x.ts',
      "import type {\n  C,\n} from '../../core/channel/port.ts';",
      'dialogs must not import core',
    ],
    [
      'bots/slack/x.ts',
      "const m = await import('../../core/store/repos/reports.ts');",
      'bots must not import the store',
    ],
    ['bench/x.ts', "import { f } from '../test/support/db.ts';", 'bench must not import test'],
    ['core/http/x.ts', "import { PrismaClient } from '@prisma/client';", 'only core/store may import Prisma'],
    [
      'bin/x.ts',
      "import type { Prisma } from '../core/store/generated/client.ts';",
      'only core/store may import Prisma',
    ],
  ])('flags %s importing what it must not', (file, text, rule) => {
    expect(checkImports(new Map([[file, text]])).map((v) => v.rule)).toContain(rule);
  });

  it('ignores specifiers in comments and allowed directions', () => {
    const text = "// import x from '../../bots/sms/index.ts'\nimport { y } from '../channel/port.ts';";
    expect(checkImports(new Map([['core/intake/x.ts', text]]))).toEqual([]);
    expect(checkImports(new Map([['core/store/x.ts', "import '@prisma/client';"]]))).toEqual([]);
  });
});
