/**
 * Cost of "laporan serupa" at filing (core/reports/clusters.ts) with 100,000 open reports in the
 * store: per new report (its stems are computed at filing, as fileReport does), storing its band keys, finding candidates by shared keys and scoring
 * them. Run on PostgreSQL when reachable, else on PGlite. The open reports are distinct texts
 * made from the team corpus (the first half of one text glued to the second half of another of
 * the same topic), spread over the kecamatan of four regencies, all filed within the window.
 */

import { TERMINAL_STATUSES } from '../core/lifecycle/index.ts';
import { createLogger } from '../core/logger.ts';
import { linkToSimilar } from '../core/reports/clusters.ts';
import { ADMIN_AGENCY, type CoreContext } from '../core/reports/context.ts';
import { bandKeys, shinglesOfStems, stemsOf } from '../core/reports/similar.ts';
import { openDatabase } from '../core/store/database.ts';
import type { ReportRow } from '../core/store/repos/reports.ts';
import { findCandidates } from '../core/store/repos/similar.ts';
import { readCorpus } from '../dialogs/corpus/index.ts';
import { PG_URL, postgresAvailable, preparePglite, preparePostgres } from './databases.ts';

const OPEN_REPORTS = 100_000;
const PROBES = 200;
const CHUNK = 5_000;
const REGENCIES = ['33.03', '33.02', '33.01', '32.04'];

/** Open report number i: two halves of corpus texts of one topic (distinct for every i). */
function openText(byTopic: string[][][], i: number): string {
  const topic = byTopic[i % byTopic.length]!;
  const a = topic[Math.floor(i / byTopic.length) % topic.length]!;
  const b = topic[(i * 7919) % topic.length]!;
  return [...a.slice(0, Math.ceil(a.length / 2)), ...b.slice(Math.floor(b.length / 2))].join(' ');
}

export async function benchSimilar(): Promise<Record<string, number | string>> {
  const onPg = await postgresAvailable();
  const prepared = onPg ? await preparePostgres('similar') : await preparePglite('similar');
  const cfg = prepared.db;
  const db =
    cfg.kind === 'postgres'
      ? await openDatabase({ kind: 'postgres', url: cfg.url ?? PG_URL }, { schema: cfg.schema, poolSize: 2 })
      : await openDatabase({ kind: 'pglite', dataDir: cfg.dataDir! });
  try {
    const topics = new Map<string, string[][]>();
    for (const r of readCorpus())
      topics.set(r.category, [...(topics.get(r.category) ?? []), r.text.split(/\s+/)]);
    const byTopic = [...topics.values()];
    const texts = readCorpus().map((r) => r.text);
    const raw = db.prisma;
    await raw.$executeRawUnsafe(`insert into citizens (id, display_name) values ('bench-citizen', 'Warga')`);
    await raw.$executeRawUnsafe(
      `insert into conversations (id, channel, address, citizen_id, locale, state, version, updated_at)
       values ('bench-conversation', 'console', 'bench', 'bench-citizen', 'id', '{}'::jsonb, 0, now())`,
    );
    const now = new Date();
    const seedStarted = performance.now();
    for (let a = 0; a < OPEN_REPORTS; a += CHUNK) {
      const ids: string[] = [];
      const descriptions: string[] = [];
      const regions: string[] = [];
      const stemTexts: string[] = [];
      const bandReport: string[] = [];
      const bandKey: string[] = [];
      for (let i = a; i < Math.min(OPEN_REPORTS, a + CHUNK); i++) {
        const text = openText(byTopic, i);
        const id = `bench-report-${i}`;
        ids.push(id);
        descriptions.push(text);
        regions.push(`${REGENCIES[i % REGENCIES.length]}.${String((i % 18) + 1).padStart(2, '0')}`);
        const stems = stemsOf(text);
        stemTexts.push(stems.join(' '));
        for (const k of bandKeys(shinglesOfStems(stems))) {
          bandReport.push(id);
          bandKey.push(k);
        }
      }
      await raw.$executeRawUnsafe(
        `insert into reports (id, tracking_id, type, category, description, region_code, text_stems, status,
                              agency_code, citizen_id, conversation_id, channel, created_at, updated_at)
         select u.id, 'B' || u.id, 'pengaduan', 'pekerjaan_umum', u.d, u.r, u.s, 'didisposisikan', '${ADMIN_AGENCY}',
                'bench-citizen', 'bench-conversation', 'console', $5, $5
           from unnest($1::text[], $2::text[], $3::text[], $4::text[]) as u(id, d, r, s)`,
        ids,
        descriptions,
        regions,
        stemTexts,
        now,
      );
      await raw.$executeRawUnsafe(
        `insert into report_bands (report_id, band) select * from unnest($1::text[], $2::text[])`,
        bandReport,
        bandKey,
      );
    }
    const seedMs = performance.now() - seedStarted;
    await raw.$executeRawUnsafe('analyze');
    const ctx = {
      db,
      clock: () => now,
      logger: createLogger({ level: 'silent' }),
      desk: null,
      onOutbox: () => {},
    } as unknown as CoreContext;
    let linked = 0;
    let totalMs = 0;
    let candidatesMs = 0;
    let roundTripMs = 0;
    for (let p = 0; p < PROBES; p++) {
      // Half the probes repeat an open report's text, half are texts with no twin in the store.
      const twin = (p * 487) % OPEN_REPORTS;
      const text = p % 2 === 0 ? openText(byTopic, twin) : `${texts[(p * 53) % texts.length]} (laporan ${p})`;
      const region = `${REGENCIES[twin % REGENCIES.length]}.${String((twin % 18) + 1).padStart(2, '0')}`;
      await raw
        .$transaction(async (tx) => {
          const report = (await tx.report.create({
            data: {
              id: `probe-${p}`,
              trackingId: `PROBE-${p}`,
              type: 'pengaduan',
              category: 'pekerjaan_umum',
              description: text,
              textStems: stemsOf(text).join(' '),
              regionCode: region,
              agencyCode: ADMIN_AGENCY,
              citizenId: 'bench-citizen',
              conversationId: 'bench-conversation',
              channel: 'console',
              createdAt: now,
            },
          })) as unknown as ReportRow;
          let started = performance.now();
          await tx.$queryRawUnsafe('select 1');
          roundTripMs += performance.now() - started;
          started = performance.now();
          await findCandidates(tx, {
            keys: bandKeys(shinglesOfStems(stemsOf(text))),
            since: new Date(now.getTime() - 14 * 86_400_000),
            closed: [...TERMINAL_STATUSES],
            agencyCode: ADMIN_AGENCY,
            regencyCode: region.slice(0, 5),
            excludeId: report.id,
            limit: 20,
          });
          candidatesMs += performance.now() - started;
          started = performance.now();
          const link = await linkToSimilar(tx, ctx, report, ADMIN_AGENCY);
          totalMs += performance.now() - started;
          if (link) linked++;
          throw new RollbackProbe();
        })
        .catch((error: unknown) => {
          if (!(error instanceof RollbackProbe)) throw error;
        });
    }
    return {
      database: onPg ? 'postgresql' : 'pglite',
      open_reports: OPEN_REPORTS,
      seed_s: Math.round(seedMs / 100) / 10,
      ms_per_report: Math.round((totalMs / PROBES) * 100) / 100,
      candidates_ms: Math.round((candidatesMs / PROBES) * 100) / 100,
      round_trip_ms: Math.round((roundTripMs / PROBES) * 100) / 100,
      probes_linked: `${linked} of ${PROBES} (half repeat an open report)`,
    };
  } finally {
    await db.close();
    await prepared.dispose();
  }
}

class RollbackProbe extends Error {}
