/**
 * The operators' HTTP API for the agency → Slack channel mapping (the same data as
 * `lapor agency set-channel`). Every route needs `Authorization: Bearer <ADMIN_API_TOKEN>`;
 * the plugin is only mounted when that token is configured.
 *
 * - `GET  /admin/agency-channels`        every agency with its own channel
 * - `GET  /admin/agency-channels/:code`  one agency: own channel and the channel that serves it
 *                                        now (own, else its parent's, else the admin channel)
 * - `PUT  /admin/agency-channels/:code`  `{ "channel": "C0123ABCD" }` sets, `{ "channel": null }` clears
 *
 * @example
 * ```ts
 * plugins.push(createAdminApi({ ctx, token: config.http.adminToken }));
 * // curl -X PUT -H 'authorization: Bearer …' -H 'content-type: application/json' \
 * //   -d '{"channel":"C0PUPBG"}' http://localhost:3000/admin/agency-channels/PEMDA-33.03-DPUPR
 * ```
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { LaporError } from '../errors.ts';
import { deskChannelFor } from '../messaging/index.ts';
import type { CoreContext } from '../reports/context.ts';
import * as reports from '../store/repos/reports.ts';

export interface AdminApiOptions {
  ctx: CoreContext;
  /** ADMIN_API_TOKEN; never logged. */
  token: string;
}

/** Slack channel ids: public (C…) and private (G… for older ones). */
const CHANNEL_ID = '^[CG][A-Z0-9]{2,30}$';
/** Agency codes of the directory (PEMDA-33.03-DPUPR, KL-BPOM, BUMN-PLN). */
const AGENCY_CODE = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Compares bearer tokens in constant time (hashing first evens out the lengths). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1]) return false;
  return timingSafeEqual(digest(match[1]), digest(token));
}

/** The admin API plugin. */
export function createAdminApi(options: AdminApiOptions): FastifyPluginAsync {
  const { ctx, token } = options;
  if (!token) throw new LaporError('LAPOR_ERR_CONFIG', 'ADMIN_API_TOKEN: required for the admin API');
  const db = ctx.db;

  // The routes live in an encapsulated child plugin with a prefix; its onRequest hook runs for
  // every route Fastify matched inside it, whatever spelling of the URL reached it
  // (`/%61dmin/...` is routed on the decoded path, so a check of the raw URL would be bypassed).
  const routes: FastifyPluginAsync = async (admin) => {
    admin.addHook('onRequest', async (request) => {
      if (!bearerMatches(request.headers.authorization, token))
        throw new LaporError('LAPOR_ERR_UNAUTHORIZED', 'Missing or invalid bearer token');
    });

    // Agency codes: letters, digits, dots and dashes (PEMDA-33.03-DPUPR). Anything else (NUL,
    // spaces, other scripts) is a 400 before it reaches the database.
    const params = {
      type: 'object',
      required: ['code'],
      properties: { code: { type: 'string', minLength: 1, maxLength: 64, pattern: AGENCY_CODE } },
    } as const;

    admin.get('/agency-channels', async () => {
      const rows = await db.prisma.$transaction((tx) => reports.listAgenciesWithChannel(tx));
      return {
        adminChannel: ctx.desk?.adminChannel ?? null,
        mappings: rows.map((r) => ({ code: r.code, name: r.name, channel: r.officerChannel })),
      };
    });

    admin.get<{ Params: { code: string } }>(
      '/agency-channels/:code',
      { schema: { params } },
      async (request) => {
        const found = await db.prisma.$transaction(async (tx) => {
          const agency = await reports.findAgencyChannel(tx, request.params.code);
          if (!agency) return null;
          return { agency, effective: await deskChannelFor(tx, ctx, agency.code) };
        });
        if (!found)
          throw new LaporError('LAPOR_ERR_UNKNOWN_AGENCY', `Unknown agency code ${request.params.code}`);
        return {
          code: found.agency.code,
          name: found.agency.name,
          channel: found.agency.officerChannel,
          effectiveChannel: found.effective,
        };
      },
    );

    admin.put<{ Params: { code: string }; Body: { channel: string | null } }>(
      '/agency-channels/:code',
      {
        schema: {
          params,
          body: {
            type: 'object',
            required: ['channel'],
            additionalProperties: false,
            properties: { channel: { type: ['string', 'null'], pattern: CHANNEL_ID } },
          },
        },
      },
      async (request) => {
        const { code } = request.params;
        const channel = request.body.channel;
        const agency = await db.prisma.$transaction(async (tx) => {
          if (!(await reports.setOfficerChannel(tx, code, channel))) return null;
          return reports.findAgencyChannel(tx, code);
        });
        if (!agency) throw new LaporError('LAPOR_ERR_UNKNOWN_AGENCY', `Unknown agency code ${code}`);
        request.log.info({ agency: code, channel }, 'agency channel mapping changed');
        return { code: agency.code, name: agency.name, channel: agency.officerChannel };
      },
    );
  };

  return async (fastify) => {
    await fastify.register(routes, { prefix: '/admin' });
  };
}
