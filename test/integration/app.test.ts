import { describe, expect, it } from 'vitest';
import { LaporError } from '../../core/errors.ts';
import { buildApp } from '../../core/http/app.ts';
import { createLogger } from '../../core/logger.ts';
import { openDatabase } from '../../core/store/database.ts';

describe('HTTP app', () => {
  const logger = createLogger({ level: 'silent' });

  it('answers /healthz and /readyz while the database is reachable, 503 once it is not', async () => {
    const db = await openDatabase({ kind: 'pglite', dataDir: ':memory:' });
    const app = await buildApp({ logger, ping: () => db.ping() });
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await app.inject('/readyz')).statusCode).toBe(200);
    await db.close();
    const down = await app.inject('/readyz');
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ error: { code: 'LAPOR_ERR_DB_UNREACHABLE' } });
    await app.close();
  });

  it('answers unknown routes, bad input and errors with a code and never leaks internals', async () => {
    const app = await buildApp({
      logger,
      ping: async () => {},
      plugins: [
        async (scope) => {
          scope.post(
            '/echo',
            {
              schema: {
                body: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } },
              },
            },
            async (req) => req.body,
          );
          scope.get('/boom', async () => {
            throw new Error('password=hunter2 at db.internal');
          });
          scope.get('/gone', async () => {
            throw new LaporError('LAPOR_ERR_NOT_FOUND', 'Laporan tidak ditemukan');
          });
        },
      ],
    });
    expect((await app.inject('/nope')).json()).toMatchObject({ error: { code: 'LAPOR_ERR_NOT_FOUND' } });
    const bad = await app.inject({ method: 'POST', url: '/echo', payload: { nottext: 1 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/text/);
    const malformed = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"text":',
    });
    expect(malformed.statusCode).toBe(400);
    const boom = await app.inject('/boom');
    expect(boom.statusCode).toBe(500);
    expect(boom.body).not.toContain('hunter2');
    expect(boom.json()).toEqual({ error: { code: 'LAPOR_ERR_INTERNAL', message: 'Internal error' } });
    expect((await app.inject('/gone')).json()).toEqual({
      error: { code: 'LAPOR_ERR_NOT_FOUND', message: 'Laporan tidak ditemukan' },
    });
    const huge = await app.inject({
      method: 'POST',
      url: '/echo',
      payload: { text: 'x'.repeat(2 * 1024 * 1024) },
    });
    expect(huge.statusCode).toBe(413);
    await app.close();
  });
});

describe('database configuration errors', () => {
  it('says in one line that a PostgreSQL server is unreachable, without credentials', async () => {
    const error = await openDatabase({
      kind: 'postgres',
      url: 'postgres://lapor:topsecret@127.0.0.1:1/lapor',
    }).catch((e) => e);
    expect(error).toBeInstanceOf(LaporError);
    expect(error.code).toBe('LAPOR_ERR_DB_UNREACHABLE');
    expect(error.message).toMatch(/^DATABASE_URL: cannot reach PostgreSQL at 127\.0\.0\.1:1\/lapor/);
    expect(error.message).not.toContain('topsecret');
  });

  it('says that the data directory cannot be written', async () => {
    const error = await openDatabase({ kind: 'pglite', dataDir: '/proc/lapor-data' }).catch((e) => e);
    expect(error).toBeInstanceOf(LaporError);
    expect(error.code).toBe('LAPOR_ERR_DATA_DIR');
    expect(error.message).toMatch(/^DATA_DIR: cannot write to \/proc\/lapor-data/);
  });
});
