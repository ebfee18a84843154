import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, LaporError } from '../../core/errors.ts';

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

describe('error catalogue', () => {
  it.each(Object.entries(ERROR_CODES))('documents %s with its HTTP status', (code, { status }) => {
    const row = doc.split('\n').find((line) => line.startsWith(`| \`${code}\``));
    expect(row, `${code} is missing from docs/errors.md`).toBeDefined();
    const cells = (row ?? '').split('|').map((cell) => cell.trim());
    expect(cells[2]).toBe(String(status));
    expect(cells[3]?.length, `${code} needs an explanation`).toBeGreaterThan(10);
  });

  it('documents no code that does not exist', () => {
    const documented = [...doc.matchAll(/^\| `(LAPOR_ERR_[A-Z_]+)`/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(ERROR_CODES).sort());
  });

  it('carries its code, status and context', () => {
    const error = new LaporError('LAPOR_ERR_UNKNOWN_AGENCY', 'Instansi X tidak ada', { agencyCode: 'X' });
    expect(error).toMatchObject({
      code: 'LAPOR_ERR_UNKNOWN_AGENCY',
      status: 404,
      context: { agencyCode: 'X' },
    });
  });
});
