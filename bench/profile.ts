/**
 * Reads a V8 .cpuprofile (written by a service child during a steady-state window, see
 * `--profile`) and tells where the time went: self time by package/file, and inclusive time
 * of the project's own functions (file:line), as shares of the profiled time.
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time per npm package or project file ("npm:@prisma/client", "core/intake/intake.ts"). */
  selfByPackage: { name: string; share: number }[];
  /** Inclusive time per project function ("lockConversation core/store/repos/conversations.ts"). */
  projectInclusive: { name: string; share: number }[];
  /** Inclusive time per npm package or project file. */
  inclusiveByPackage: { name: string; share: number }[];
}

function short(url: string): string {
  return url.replace(/^file:\/\//, '').replace(/^.*?\/(core|dialogs|bots|bench|node_modules)\//, '$1/');
}

function packageOf(frame: CallFrame): string {
  const url = short(frame.url);
  if (!url) return frame.functionName || '(native)';
  const npm = /node_modules\/(@[^/]+\/[^/]+|[^/]+)/.exec(url);
  if (npm) return `npm:${npm[1]}`;
  return url.startsWith('node:') ? 'node:internals' : url;
}

const PROJECT = /^(core|dialogs|bots)\//;

export function summarizeProfile(path: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const timeOf = new Map<number, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    timeOf.set(id, (timeOf.get(id) ?? 0) + dt);
    total += dt;
  });
  const selfPkg = new Map<string, number>();
  const inclFn = new Map<string, number>();
  const inclPkg = new Map<string, number>();
  for (const [id, t] of timeOf) {
    const node = byId.get(id);
    if (!node) continue;
    const pkg = packageOf(node.callFrame);
    selfPkg.set(pkg, (selfPkg.get(pkg) ?? 0) + t);
    const seenFn = new Set<string>();
    const seenPkg = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)?.callFrame;
      if (!frame) break;
      const file = short(frame.url);
      const p = packageOf(frame);
      if (!seenPkg.has(p)) {
        seenPkg.add(p);
        inclPkg.set(p, (inclPkg.get(p) ?? 0) + t);
      }
      if (PROJECT.test(file)) {
        // Line numbers are those of tsx's transpiled output, so only name and file are kept.
        const fn = `${frame.functionName || '(anonymous)'} ${file}`;
        if (!seenFn.has(fn)) {
          seenFn.add(fn);
          inclFn.set(fn, (inclFn.get(fn) ?? 0) + t);
        }
      }
    }
  }
  const rank = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, t]) => ({ name, share: Math.round((1000 * t) / Math.max(1, total)) / 1000 }));
  return {
    totalMs: Math.round(total / 1000),
    selfByPackage: rank(selfPkg),
    projectInclusive: rank(inclFn),
    inclusiveByPackage: rank(inclPkg),
  };
}
