/**
 * The baseline of the benchmark: a bare grammY bot behind fastify's webhook callback, on the
 * same fake Bot API and the same database stack as the service (Prisma over the same driver
 * adapter, PGlite or PostgreSQL). Per text message it does one INSERT and echoes the text
 * back with sendMessage. No dialog, no outbox, no idempotency: the floor our pipeline is
 * compared with. Started by `bench/procs.ts` like `child-service.ts`.
 */
import Fastify from 'fastify';
import { Bot, webhookCallback } from 'grammy';
import { loadConfig } from '../core/config/index.ts';
import { openDatabase } from '../core/store/database.ts';
import type { ChildConfig, ChildReply, ChildRequest } from './types.ts';

const cfg = JSON.parse(process.env.BENCH_CHILD ?? '{}') as ChildConfig;
const config = loadConfig({
  DATA_DIR: cfg.dataDir,
  DATABASE_URL: cfg.db.kind === 'postgres' ? cfg.db.url : `pglite:${cfg.db.dataDir}`,
});
const db = await openDatabase(
  config.database,
  cfg.db.kind === 'postgres' ? { schema: cfg.db.schema, poolSize: cfg.db.poolSize ?? 10 } : {},
);
await db.prisma.$executeRawUnsafe(
  `create table if not exists bench_echo (
     id bigserial primary key, chat_id text not null, text text, created_at timestamptz not null default now())`,
);

const bot = new Bot(cfg.telegram.token, {
  botInfo: cfg.telegram.botInfo,
  client: { apiRoot: cfg.telegram.apiRoot },
});
bot.on('message:text', async (ctx) => {
  await db.prisma.$executeRawUnsafe(
    'insert into bench_echo (chat_id, text) values ($1, $2)',
    String(ctx.chat.id),
    ctx.message.text,
  );
  await ctx.reply(ctx.message.text);
});

const app = Fastify({ logger: false });
app.post('/webhooks/telegram', webhookCallback(bot, 'fastify', { secretToken: cfg.telegram.secret }));
await app.listen({ host: '127.0.0.1', port: cfg.port ?? 0 });
const address = app.server.address();
process.send?.({
  type: 'ready',
  port: typeof address === 'object' && address ? address.port : 0,
  pid: process.pid,
} satisfies ChildReply);

async function stop(): Promise<void> {
  setTimeout(() => process.exit(0), 10_000).unref();
  await app.close().catch(() => {});
  await db.close().catch(() => {});
  process.exit(0);
}

process.on('message', (message: ChildRequest) => {
  let result: unknown = true;
  if (message.cmd === 'stats' || message.cmd === 'gc') {
    if (message.cmd === 'gc') (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    result = {
      intake: { filed: 0, questions: 0 },
      dispatcher: { sent: 0, retried: 0, failed: 0 },
      memory: { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external },
      cpu: process.cpuUsage(),
    };
  }
  process.send?.({ type: 'reply', id: message.id, ok: true, result } satisfies ChildReply);
  if (message.cmd === 'stop') setImmediate(() => void stop());
});
process.on('disconnect', () => void stop());
