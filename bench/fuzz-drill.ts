/**
 * The bad-input drill (`npm run drill -- --fuzz`): a whole service with every webhook on, in
 * this process on an embedded database, against fake providers on loopback; then
 *
 * - fuzzed bodies (test/support/fuzz-bodies.ts) to every edge, signed, and forged (wrong
 *   secret or signature) ones, plus spellings of the admin API's paths without a token;
 * - a burst of first messages from many Telegram chats, each delivered twice at once;
 *
 * and it counts what must be zero: forged requests accepted, 5xx answers, log lines with
 * personal data (the names, texts, chat ids and phone numbers the bodies carried), blocked
 * conversations (messages neither processed nor quarantined), burst messages answered twice or
 * not at all.
 */
import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { ADDRESS_PATTERN, bodyFor, MARK_NAME, MARK_TEXT } from '../fakes/hostile-bodies.ts';
import {
  type Edge,
  edgeRequest,
  HOSTILE_SECRETS,
  type HostileDatabase,
  startHostileService,
} from '../fakes/hostile-service.ts';

export interface FuzzDrillOptions {
  /** Signed fuzzed bodies per edge (default 150; quick 40). */
  perEdge?: number;
  /** Chats in the burst (default 500; quick 100). */
  burst?: number;
  quick?: boolean;
  /** Only the burst (diagnosing). */
  burstOnly?: boolean;
}

export interface FuzzDrillResult {
  requests: number;
  forgedAccepted: number;
  serverErrors: number;
  logLines: number;
  personalDataLines: number;
  blockedConversations: number;
  burstChats: number;
  burstAnswered: number;
  burstDuplicated: number;
  rejected: number;
  quarantined: number;
  seconds: number;
  ok: boolean;
}

const EDGES: Edge[] = ['telegram', 'whatsapp', 'sms', 'slack_events', 'slack_form', 'slack_command'];

const ADMIN_PATHS = [
  '/admin/agency-channels',
  '/%61dmin/agency-channels',
  '/adm%69n/agency-channels',
  '//admin/agency-channels',
  '/ADMIN/agency-channels',
  '/admin/../admin/agency-channels',
  '/admin/./agency-channels',
  '/admin/agency-channels/PEMDA-33.03',
  '/%61dmin/agency-channels/PEMDA-33.03',
  '/admin/agency-channels/%00',
];

/** The request with its credential spoiled: a wrong secret, signature or token. */
function forge(request: InjectOptions): InjectOptions {
  const headers = { ...(request.headers as Record<string, string>) };
  for (const key of Object.keys(headers)) {
    if (/secret-token|signature/i.test(key)) headers[key] = `${headers[key]?.slice(0, -4)}beef`;
  }
  return { ...request, headers };
}

async function memoryDatabase(): Promise<HostileDatabase & { dispose(): Promise<void> }> {
  const pglite = new PGlite();
  await pglite.waitReady;
  return {
    config: { kind: 'pglite', dataDir: ':memory:' },
    options: { pglite },
    dispose: () => pglite.close(),
  };
}

export async function runFuzzDrill(options: FuzzDrillOptions = {}): Promise<FuzzDrillResult> {
  const started = Date.now();
  const perEdge = options.perEdge ?? (options.quick ? 40 : 150);
  const burst = options.burst ?? (options.quick ? 100 : 500);
  const handle = await memoryDatabase();
  const h = await startHostileService(handle, { quarantine: { maxAttempts: 3, backoffMs: 50 } });
  const prisma = h.service.db.prisma;
  let requests = 0;
  let serverErrors = 0;
  let forgedAccepted = 0;
  const send = async (request: InjectOptions) => {
    requests++;
    const res = await h.inject(request);
    if (res.status >= 500) {
      serverErrors++;
      if (process.env.DRILL_DEBUG)
        console.log(
          '5xx',
          request.url,
          res.status,
          res.body.slice(0, 200),
          String(request.payload).slice(0, 300),
        );
    }
    return res;
  };
  try {
    // 1. Fuzzed bodies, signed and forged, at every edge.
    for (const edge of options.burstOnly ? [] : EDGES) {
      const bodies = fc.sample(bodyFor(edge), perEdge);
      for (const [i, body] of bodies.entries()) {
        await send(edgeRequest(edge, body, true));
        if (i % 5 === 0) {
          const forged = await send(forge(edgeRequest(edge, body, true)));
          if (forged.status < 300) forgedAccepted++;
          const unsigned = await send(edgeRequest(edge, body, false));
          if (unsigned.status < 300) forgedAccepted++;
        }
      }
    }
    // 2. The admin API without (or with a wrong) token, in every spelling.
    for (const url of ADMIN_PATHS) {
      for (const headers of [{}, { authorization: `Bearer ${HOSTILE_SECRETS.admin}x` }]) {
        if ((await send({ method: 'GET', url, headers })).status < 300) forgedAccepted++;
        const put = await send({
          method: 'PUT',
          url,
          headers: { ...headers, 'content-type': 'application/json' },
          payload: JSON.stringify({ channel: 'C0PWNED01' }),
        });
        if (put.status < 300) forgedAccepted++;
      }
    }

    // 3. A burst: first messages from many chats, each delivered twice at the same time.
    const firstChat = 900_001;
    const chats = Array.from({ length: burst }, (_, i) => firstChat + i);
    const control = 899_999;
    await send(edgeRequest('telegram', h.telegram.updates.makeTextUpdate(control, 'halo')));
    // How many replies one first message gets: the control chat's, once its outbox is empty.
    const expected = await waitFor(async () => {
      const open = await prisma.outboxItem.count({
        where: { address: String(control), status: { in: ['pending', 'sending'] } },
      });
      const n = h.telegram.sent(control).length;
      return open === 0 && n > 0 ? n : 0;
    }, 60_000);
    const updates = chats.map((chat) => h.telegram.updates.makeTextUpdate(chat, 'halo'));
    await Promise.all(
      updates.flatMap((update) => [
        send(edgeRequest('telegram', update)),
        send(edgeRequest('telegram', update)),
      ]),
    );
    // Done when every reply the service queued has gone out (nothing pending or being sent).
    const outboxQuiet = async () =>
      (await prisma.outboxItem.count({ where: { status: { in: ['pending', 'sending'] } } })) === 0;
    await waitFor(async () => chats.every((chat) => h.telegram.sent(chat).length >= expected), 240_000).catch(
      () => false,
    );
    await waitFor(outboxQuiet, 240_000).catch(() => false);
    await new Promise((r) => setTimeout(r, 1_000)); // a late duplicate would show up now

    // 4. Nothing left behind: every stored message processed or quarantined.
    const blocked = async () =>
      (
        await prisma.message.groupBy({
          by: ['conversationId'],
          where: { direction: 'incoming', processedAt: null, failedAt: null },
        })
      ).length;
    await waitFor(async () => (await blocked()) === 0, 120_000).catch(() => false);
    const blockedConversations = await blocked();

    const personal = new RegExp(`${MARK_NAME}|${MARK_TEXT}|${ADDRESS_PATTERN.source}`);
    // The search itself must be able to find what it looks for.
    for (const probe of [MARK_NAME, MARK_TEXT, '700123', '+6281312345678'])
      if (!personal.test(`{"x":"${probe}"}`)) throw new Error(`drill: the log search misses ${probe}`);
    const personalDataLines = h.logs.filter((line) => personal.test(line.replace(/"time":\d+,/, ''))).length;
    // Per chat: the replies the service queued once (outbox rows) must equal the control chat's,
    // and each must have reached the fake exactly once.
    const rowsPerChat = new Map<string, number>();
    for (const g of await prisma.outboxItem.groupBy({
      by: ['address'],
      where: { channel: 'telegram', address: { in: chats.map(String) } },
      _count: { _all: true },
    }))
      rowsPerChat.set(g.address, g._count._all);
    const receivedOnce = (chat: number) => {
      const texts = h.telegram.sent(chat).map((m) => m.text);
      return texts.length === expected && (rowsPerChat.get(String(chat)) ?? 0) === expected;
    };
    const burstAnswered = chats.filter(receivedOnce).length;
    const duplicatedChats = chats.filter(
      (chat) => h.telegram.sent(chat).length > expected || (rowsPerChat.get(String(chat)) ?? 0) > expected,
    );
    const burstDuplicated = duplicatedChats.length;
    if (process.env.DRILL_DEBUG) {
      for (const line of h.logs.filter((l) => /released|lease|taken over|"level":50/.test(l)).slice(0, 8))
        console.log(line.slice(0, 800));
    }
    if (process.env.DRILL_DEBUG && duplicatedChats.length) {
      for (const chat of duplicatedChats.slice(0, 3)) {
        const rows = await prisma.outboxItem.findMany({ where: { address: String(chat) } });
        const inbound = await prisma.message.findMany({
          where: { channel: 'telegram', direction: 'incoming', externalId: { startsWith: `msg:${chat}:` } },
        });
        console.log(
          chat,
          'expected',
          expected,
          'sent',
          h.telegram.sent(chat).map((m) => m.text.slice(0, 40)),
          'outbox',
          rows.map((r) => `${r.id}:${r.status}:${r.attempts}:${r.lastError ?? ''}`),
          'inbound',
          inbound.length,
        );
      }
    }
    const result = {
      requests,
      forgedAccepted,
      serverErrors,
      logLines: h.logs.length,
      personalDataLines,
      blockedConversations,
      burstChats: burst,
      burstAnswered,
      burstDuplicated,
      rejected: await prisma.inboundRejection.count(),
      quarantined: await prisma.message.count({ where: { failedAt: { not: null }, processedAt: null } }),
      seconds: Math.round((Date.now() - started) / 1000),
    };
    return {
      ...result,
      ok:
        result.forgedAccepted === 0 &&
        result.serverErrors === 0 &&
        result.personalDataLines === 0 &&
        result.blockedConversations === 0 &&
        result.burstDuplicated === 0 &&
        result.burstAnswered === burst,
    };
  } finally {
    await h.close();
    await handle.dispose();
  }
}

async function waitFor<T>(probe: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function printFuzzDrill(r: FuzzDrillResult): void {
  const rows: [string, string][] = [
    ['requests sent', String(r.requests)],
    ['forged accepted', String(r.forgedAccepted)],
    ['5xx answers', String(r.serverErrors)],
    ['personal-data lines in logs', `${r.personalDataLines} (of ${r.logLines} lines at trace level)`],
    ['blocked conversations', String(r.blockedConversations)],
    [
      'burst answered / duplicated',
      `${r.burstAnswered} / ${r.burstDuplicated} (of ${r.burstChats} chats, each message delivered twice)`,
    ],
    ['rejected payloads recorded', String(r.rejected)],
    ['quarantined messages', String(r.quarantined)],
  ];
  console.log(`\nbad-input drill (embedded PGlite, ${r.seconds} s)`);
  for (const [name, value] of rows) console.log(`  ${name.padEnd(30)} ${value}`);
  console.log(r.ok ? '  every failure count is 0' : '  FAILED: a failure count is not 0');
}
