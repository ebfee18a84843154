// Writes core/calendar/public-holidays.json: Indonesia's public holidays as date-holidays computes
// them, for the years the SLA clock needs, reduced to what the work calendar reads (the civil date
// and the rule/name). Loading date-holidays costs ~24 MB of memory at runtime; this table costs
// a few kilobytes. Years outside the table still go to date-holidays, loaded on first use.
// Re-run after upgrading date-holidays: `node scripts/build-holiday-table.mjs`
// (test/unit/holiday-table.test.ts fails while the table and the library disagree).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Holidays from 'date-holidays';

export const FIRST_YEAR = 2015;
export const LAST_YEAR = 2045;

const lib = new Holidays('ID', { timezone: 'Asia/Jakarta', types: ['public'] });
const years = {};
for (let year = FIRST_YEAR; year <= LAST_YEAR; year++) {
  years[year] = (lib.getHolidays(year, 'id') || [])
    .filter((h) => h.type === 'public')
    .map((h) => [h.date, h.rule, h.name]);
}
const table = {
  source: 'date-holidays',
  version: JSON.parse(
    (await import('node:fs')).readFileSync(
      new URL('../node_modules/date-holidays/package.json', import.meta.url),
      'utf8',
    ),
  ).version,
  firstYear: FIRST_YEAR,
  lastYear: LAST_YEAR,
  years,
};
const out = new URL('../core/calendar/public-holidays.json', import.meta.url);
writeFileSync(out, `${JSON.stringify(table, null, 0)}\n`);
// Keep the committed file in the repository's JSON style (biome), so a regenerated table diffs cleanly.
spawnSync('npx', ['biome', 'format', '--write', fileURLToPath(out)], { stdio: 'ignore' });
console.log(`wrote ${out.pathname}: ${FIRST_YEAR}-${LAST_YEAR}`);
