/** The transaction handle repositories work with. Only core/store knows it is Prisma's. */
import type { Prisma } from './generated/client.ts';

export type Tx = Prisma.TransactionClient;

/** True for a unique-constraint violation (Prisma P2002), optionally on a given field. */
export function isUniqueViolation(error: unknown, field?: string): boolean {
  const e = error as {
    code?: string;
    meta?: { target?: unknown; driverAdapterError?: { cause?: { constraint?: { fields?: string[] } } } };
  };
  if (e?.code !== 'P2002') return false;
  if (!field) return true;
  return JSON.stringify(e.meta ?? {}).includes(field);
}
