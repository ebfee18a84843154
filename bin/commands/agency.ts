/** `lapor agency …`: operators map agencies to Slack channels (data, not code). */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../core/config/index.ts';
import { buildAgencyDirectory } from '../../core/directory/index.ts';
import { openDatabase } from '../../core/store/database.ts';
import * as reports from '../../core/store/repos/reports.ts';
import { seedAgencies } from '../../core/store/seed.ts';
import { historyResolver, readHistory, reportResolution } from './history.ts';

/**
 * `lapor agency resolve --in FILE.csv --agency-column COL [--region-column COL]
 * [--agency-names FILE.csv] [--unresolved-out FILE.csv]`, or `lapor agency resolve NAME`: agency
 * names as history writes them, resolved against the directory. No database needed.
 */
async function runResolve(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      in: { type: 'string' },
      'agency-column': { type: 'string' },
      'region-column': { type: 'string' },
      'text-column': { type: 'string' },
      'agency-names': { type: 'string' },
      'unresolved-out': { type: 'string' },
    },
  });
  const agencies = await buildAgencyDirectory();
  const resolver = historyResolver(agencies, values['agency-names']);
  if (!values.in) {
    if (positionals.length === 0) {
      console.error('lapor: usage: lapor agency resolve NAME | --in FILE.csv --agency-column COL');
      return 2;
    }
    const r = resolver.resolve(positionals.join(' '));
    console.log(JSON.stringify(r));
    return r.code ? 0 : 1;
  }
  const agencyColumn = values['agency-column'] ?? 'agency';
  const { rows } = readHistory(
    values.in,
    {
      textColumn: values['text-column'] ?? agencyColumn,
      agencyColumn,
      regionColumn: values['region-column'],
    },
    resolver,
  );
  for (const r of rows) console.log(JSON.stringify({ name: r.name, ...r.resolution }));
  reportResolution(rows, values['unresolved-out'] ?? `${values.in.replace(/\.csv$/i, '')}.unresolved.csv`);
  return 0;
}

export async function runAgency(args: string[]): Promise<number> {
  const [sub, code, channel] = args;
  if (sub === 'resolve') return runResolve(args.slice(1));
  const db = await openDatabase(loadConfig().database);
  try {
    await db.migrate();
    // Before the first `npm start` the directory is empty: seed it, as start would.
    if ((await db.prisma.$transaction((tx) => reports.searchAgencies(tx, '', 1))).length === 0) {
      const seeded = await seedAgencies(db, await buildAgencyDirectory());
      console.error(`lapor: agency directory seeded (${seeded.inserted} agencies)`);
    }
    switch (sub) {
      case 'set-channel':
      case 'unset-channel': {
        if (!code || (sub === 'set-channel' && !channel)) {
          console.error('lapor: usage: lapor agency set-channel CODE SLACK_CHANNEL_ID | unset-channel CODE');
          return 2;
        }
        const ok = await db.prisma.$transaction((tx) =>
          reports.setOfficerChannel(tx, code, sub === 'set-channel' ? (channel ?? null) : null),
        );
        if (!ok) {
          console.error(
            `lapor: unknown agency code ${code} (try "lapor agency search NAME") [LAPOR_ERR_UNKNOWN_AGENCY]`,
          );
          return 1;
        }
        console.log(
          sub === 'set-channel'
            ? `${code} -> ${channel}`
            : `${code}: channel removed (falls back to its parent, then the admin channel)`,
        );
        return 0;
      }
      case 'list-channels': {
        const rows = await db.prisma.$transaction((tx) => reports.listAgenciesWithChannel(tx));
        for (const r of rows) console.log(`${r.code}\t${r.officerChannel}\t${r.name}`);
        if (rows.length === 0)
          console.log('no agency has a Slack channel yet: everything goes to SLACK_ADMIN_CHANNEL');
        return 0;
      }
      case 'search': {
        // Every word must match, as in the Slack forward menu ("perhubungan klaten").
        const rows = await db.prisma.$transaction((tx) =>
          reports.searchAgenciesByWords(tx, args.slice(1).join(' '), 20),
        );
        if (rows.length === 0) console.error('lapor: no agency matches every word');
        for (const r of rows) console.log(`${r.code}\t${r.name}`);
        return 0;
      }
      default:
        console.error(
          'lapor: usage: lapor agency set-channel CODE CHANNEL | unset-channel CODE | list-channels | search QUERY | resolve NAME',
        );
        return 2;
    }
  } finally {
    await db.close();
  }
}
