/**
 * Telling database errors apart without leaking what was in the query. Only core/store knows
 * these are Prisma's and PostgreSQL's errors; callers get a yes/no and a short safe summary.
 */

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: { cause?: { kind?: unknown; code?: unknown; originalCode?: unknown } } };
}

/** Prisma codes for a database that is unreachable, busy or timed out (not the data's fault). */
const TRANSIENT_PRISMA = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028', 'P2034']);
/** PostgreSQL SQLSTATE classes/codes that pass: connection (08), shutdown (57P0x), lock/serialisation. */
const TRANSIENT_SQLSTATE = /^(08|57P0|40001|40P01|55P03|53)/;
const TRANSIENT_TEXT =
  /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|Connection terminated|connection (is )?closed|terminating connection|Transaction API error|Transaction already closed|Timed out|timeout|not connected|Client has encountered a connection error|database system is (shutting down|starting up)/i;

function codes(error: unknown): string[] {
  const out: string[] = [];
  let e = error as ErrorLike | undefined;
  for (let depth = 0; e && depth < 5; depth++) {
    if (typeof e.code === 'string') out.push(e.code);
    const adapter = e.meta?.driverAdapterError?.cause;
    if (adapter && typeof adapter.originalCode === 'string') out.push(adapter.originalCode);
    if (adapter && typeof adapter.code === 'string') out.push(adapter.code);
    e = e.cause as ErrorLike | undefined;
  }
  return out;
}

/**
 * True when trying the same work again later may succeed: the database was unreachable, a
 * connection dropped, a lock or transaction timed out. False for errors the input itself causes
 * (a value PostgreSQL refuses, a bug a payload triggers), which retrying never fixes.
 */
export function isTransientDbError(error: unknown): boolean {
  for (const code of codes(error)) {
    if (TRANSIENT_PRISMA.has(code) || TRANSIENT_SQLSTATE.test(code)) return true;
  }
  let e = error as ErrorLike | undefined;
  for (let depth = 0; e && depth < 5; depth++) {
    if (typeof e.message === 'string' && TRANSIENT_TEXT.test(e.message.split('\n')[0] ?? '')) return true;
    if (typeof e.message === 'string' && /Transaction API error/i.test(e.message)) return true;
    e = e.cause as ErrorLike | undefined;
  }
  return false;
}

/**
 * A one-line summary safe to store and log: the error class and its codes, never the message
 * body (Prisma's validation errors print the call's arguments: phone numbers, message text).
 */
export function summariseError(error: unknown): string {
  const e = error as ErrorLike | undefined;
  const name = typeof e?.name === 'string' ? e.name : typeof error;
  const found = codes(error);
  return found.length ? `${name} ${[...new Set(found)].join('/')}` : name;
}
