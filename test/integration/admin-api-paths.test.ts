/**
 * The admin API authorises on the route Fastify matched, not on the spelling of the URL: every
 * encoded, doubled, upper-cased or dotted path to an admin route is refused without the token
 * (401) or is not a route at all (404), never a 200 and never a 5xx. Raw HTTP on loopback, so
 * no client normalises the path before the server sees it.
 */
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../app/compose.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';
import { createTestService } from '../support/service.ts';

const TOKEN = 'admin-token-for-path-tests-0123456789';
const PU = 'PEMDA-33.03-DPUPR';

function raw(
  port: number,
  method: string,
  path: string,
  options: { token?: string; body?: string } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: {
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(options.body ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('admin API paths', () => {
  let handle: TestDatabase;
  let service: Service;
  let port: number;

  beforeAll(async () => {
    handle = await openTestDatabase('pglite');
    service = await createTestService(handle, { env: { ADMIN_API_TOKEN: TOKEN } });
    await service.start();
    port = (service.app().server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await service?.stop();
    await handle?.dispose();
  });

  const reads = [
    '/%61dmin/agency-channels',
    '/%61dmin/agency-channels/PEMDA-33.03-DPUPR',
    '/adm%69n/agency-channels',
    '//admin/agency-channels',
    '/ADMIN/agency-channels',
    '/Admin/agency-channels',
    '/admin/../admin/agency-channels',
    '/admin/./agency-channels',
    '/admin/agency-channels/',
    '/admin/%61gency-channels',
    '/admin/agency-channels?x=/healthz',
    '/admin/agency-channels/%00',
    '/admin/agency-channels/%2e%2e',
    '/admin%2fagency-channels',
  ];

  it.each(reads)('refuses GET %s without the token (401 or 404, never 200 or 5xx)', async (path) => {
    const res = await raw(port, 'GET', path);
    expect([401, 404]).toContain(res.status);
  });

  it.each([
    '/%61dmin/agency-channels/PEMDA-33.03-DPUPR',
    '//admin/agency-channels/PEMDA-33.03-DPUPR',
    '/ADMIN/agency-channels/PEMDA-33.03-DPUPR',
    '/admin/../admin/agency-channels/PEMDA-33.03-DPUPR',
  ])('refuses PUT %s without the token and leaves the mapping alone', async (path) => {
    const res = await raw(port, 'PUT', path, { body: JSON.stringify({ channel: 'C0PWNED01' }) });
    expect([401, 404]).toContain(res.status);
    const agency = await handle.db.prisma.agency.findUnique({ where: { code: PU } });
    expect(agency?.officerChannel ?? null).toBeNull();
  });

  it('serves the encoded spelling only with the token', async () => {
    const ok = await raw(port, 'GET', '/%61dmin/agency-channels', { token: TOKEN });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).mappings).toBeInstanceOf(Array);
    expect((await raw(port, 'GET', '/%61dmin/agency-channels', { token: `${TOKEN}x` })).status).toBe(401);
  });

  it('answers 400 for an agency code with NUL or other odd characters, with the token', async () => {
    for (const code of ['%00', 'a%00b', '%F0%9F%98%80', '%20x', 'x'.repeat(65)]) {
      const res = await raw(port, 'GET', `/admin/agency-channels/${code}`, { token: TOKEN });
      expect(res.status, code).toBe(400);
    }
    const put = await raw(port, 'PUT', '/admin/agency-channels/%00', {
      token: TOKEN,
      body: JSON.stringify({ channel: 'C0ABC123' }),
    });
    expect(put.status).toBe(400);
  });

  it('keeps the service healthy afterwards', async () => {
    expect((await raw(port, 'GET', '/healthz')).status).toBe(200);
  });
});
