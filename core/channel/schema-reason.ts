/**
 * Turns a zod failure into a short reason safe to store and log: where and what was wrong,
 * never the value itself (a payload's values are personal data).
 */
import type { z } from 'zod';

export function schemaReason(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid payload';
  const where = issue.path.length ? issue.path.map(String).join('.') : 'body';
  const what =
    issue.code === 'invalid_type'
      ? `expected ${issue.expected}`
      : issue.code === 'too_big' || issue.code === 'too_small'
        ? 'out of range'
        : issue.code.replace(/_/g, ' ');
  const more = error.issues.length > 1 ? ` (+${error.issues.length - 1} more)` : '';
  return `${where}: ${what}${more}`.slice(0, 300);
}
