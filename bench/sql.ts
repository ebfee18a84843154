/**
 * SQL the benchmark runs inside a service process (it owns the database: PGlite is
 * single-process): invariant checks after a run, bulk-inserted open conversations for the
 * memory figures, and emptying the domain tables between runs.
 */
import type { Database } from '../core/store/database.ts';
import type { DbChecks } from './types.ts';

/** Domain tables, emptied between runs (the agency directory stays). */
const DOMAIN_TABLES = [
  'citizens',
  'channel_identities',
  'conversations',
  'messages',
  'reports',
  'report_events',
  'attachments',
  'outbox',
];

type Row = Record<string, unknown>;

async function rows(db: Database, sql: string, ...params: unknown[]): Promise<Row[]> {
  return db.prisma.$queryRawUnsafe<Row[]>(sql, ...params);
}

async function count(db: Database, sql: string): Promise<number> {
  const [row] = await rows(db, sql);
  return Number(row?.n ?? 0);
}

/**
 * Reads what must hold after a run: every citizen notification sent, every inbound message
 * processed, every report with its events and its citizen receipt (queued and sent).
 */
export async function runChecks(db: Database): Promise<DbChecks> {
  const outbox: Record<string, number> = {};
  for (const r of await rows(db, `select status::text as s, count(*)::int as n from outbox group by status`))
    outbox[String(r.s)] = Number(r.n);
  const ids = await rows(db, `select tracking_id as t from reports order by created_at`);
  return {
    outbox,
    unsent: await count(
      db,
      `select count(*)::int as n from outbox where channel = 'telegram' and status <> 'sent'`,
    ),
    claimedMoreThanOnce: await count(db, `select count(*)::int as n from outbox where attempts > 1`),
    unprocessedInbound: await count(
      db,
      `select count(*)::int as n from messages where direction = 'incoming' and processed_at is null`,
    ),
    inbound: await count(db, `select count(*)::int as n from messages where direction = 'incoming'`),
    reports: ids.length,
    reportsWithoutEvents: await count(
      db,
      `select count(*)::int as n from reports r
        where not exists (select 1 from report_events e where e.report_id = r.id)`,
    ),
    reportsWithoutReceipt: await count(
      db,
      `select count(*)::int as n from reports r
        where not exists (select 1 from outbox o where o.report_id = r.id and o.channel = r.channel)`,
    ),
    reportsWithoutSentReceipt: await count(
      db,
      `select count(*)::int as n from reports r
        where not exists (select 1 from outbox o
                           where o.report_id = r.id and o.channel = r.channel and o.status = 'sent')`,
    ),
    trackingIds: ids.map((r) => String(r.t)),
  };
}

/** Empties the domain tables (between benchmark runs on one database). */
export async function resetDomain(db: Database): Promise<void> {
  await db.prisma.$executeRawUnsafe(`truncate ${DOMAIN_TABLES.join(', ')} restart identity cascade`);
}

/** Descriptions of the pre-inserted drafts; each waits for its location. */
const OPEN_DRAFTS = [
  ['jalan rusak parah banyak lubang tolong diperbaiki', 'pekerjaan_umum'],
  ['sampah tidak diangkut sudah dua minggu bau sekali', 'lingkungan_hidup'],
  ['air pdam mati sudah tiga hari warga kesulitan', 'air_bersih'],
  ['listrik sering padam tiap malam alat rumah tangga rusak', 'energi_listrik'],
] as const;

/**
 * Inserts open conversations for chats `chatBase + from .. chatBase + to` (inclusive) in bulk:
 * a citizen, its Telegram identity and a conversation whose draft has a description, a
 * category and a type and waits for the location (the next message of that chat names a
 * place, the bot answers with the summary). Set-based SQL: 100,000 rows take seconds.
 */
export async function seedOpenConversations(
  db: Database,
  args: { from: number; to: number; chatBase: number },
): Promise<{ inserted: number; total: number; ms: number }> {
  const started = performance.now();
  const { from, to, chatBase } = args;
  const descriptions = `array[${OPEN_DRAFTS.map(([d]) => `'${d}'`).join(',')}]`;
  const categories = `array[${OPEN_DRAFTS.map(([, c]) => `'${c}'`).join(',')}]`;
  const k = OPEN_DRAFTS.length;
  const CHUNK = 20_000;
  let inserted = 0;
  for (let a = from; a <= to; a += CHUNK) {
    const b = Math.min(to, a + CHUNK - 1);
    await db.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(
        `insert into citizens (id, display_name)
         select md5('bench-citizen-' || ($3::bigint + g))::uuid::text, 'Warga ' || g
           from generate_series($1::int, $2::int) g`,
        a,
        b,
        chatBase,
      );
      await tx.$executeRawUnsafe(
        `insert into channel_identities (id, citizen_id, channel, address)
         select md5('bench-identity-' || ($3::bigint + g))::uuid::text,
                md5('bench-citizen-' || ($3::bigint + g))::uuid::text, 'telegram', ($3::bigint + g)::text
           from generate_series($1::int, $2::int) g`,
        a,
        b,
        chatBase,
      );
      inserted += await tx.$executeRawUnsafe(
        `insert into conversations (id, channel, address, citizen_id, locale, state, version, updated_at)
         select md5('bench-conversation-' || ($3::bigint + g))::uuid::text, 'telegram', ($3::bigint + g)::text,
                md5('bench-citizen-' || ($3::bigint + g))::uuid::text, 'id',
                jsonb_build_object(
                  'v', 1, 'locale', 'id', 'phase', 'collecting', 'greeted', true, 'questions', 1,
                  'pending', jsonb_build_object('kind', 'location'),
                  'draft', jsonb_build_object(
                    'description', (${descriptions})[1 + g % ${k}],
                    'category', (${categories})[1 + g % ${k}],
                    'categoryConfidence', 0.99, 'type', 'pengaduan', 'media', '[]'::jsonb)),
                0, now()
           from generate_series($1::int, $2::int) g`,
        a,
        b,
        chatBase,
      );
    });
  }
  const total = await count(db, `select count(*)::int as n from conversations`);
  return { inserted, total, ms: Math.round(performance.now() - started) };
}
