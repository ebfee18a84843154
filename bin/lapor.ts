/**
 * `lapor`: the operator's command line. Every failure prints one line naming what is wrong
 * (no stack dump) and exits non-zero; set DEBUG=1 for the stack.
 */
import { isLaporError } from '../core/errors.ts';

const HELP = `lapor — conversational intake for public service complaints

Usage:
  lapor start                         run the service (HTTP, channels, dispatcher, SLA clock)
  lapor chat [--jsonl] [--from ADDR]  chat with the bot in the terminal (embedded database)
  lapor db migrate                    apply pending migrations
  lapor db seed                       seed the agency directory (idempotent)
  lapor db new-migration NAME         write prisma/migrations/<ts>_NAME from schema.prisma
  lapor db check                      exit 1 if schema.prisma and the migrations drift
  lapor train --in FILE.csv [--out FILE.json] [--text-column text] [--label-column category] [--taxonomy FILE.json] [--model naive-bayes|linear]
  lapor train --routing --in FILE.csv --agency-column COL [--region-column COL] [--agency-names FILE.csv] [--from-db] [--if-better] [--out FILE.json]
  lapor eval --routing --in FILE.csv --agency-column COL [--folds 5]
  lapor classify --in FILE.csv [--text-column text]
  lapor route --in FILE.csv [--text-column text]
  lapor eval --in FILE.csv [--text-column text] [--category-column category]
  lapor agency set-channel CODE SLACK_CHANNEL_ID   map an agency (or a Pemda and its units) to a Slack channel
  lapor agency unset-channel CODE
  lapor agency list-channels
  lapor agency search QUERY
  lapor agency resolve NAME | --in FILE.csv --agency-column COL [--region-column COL] [--unresolved-out FILE.csv]
  lapor messages failed              quarantined inbound messages (processing kept failing)
  lapor messages retry ID | drop ID  process a quarantined message again, or set it aside for good
  lapor messages rejected            signed payloads that could not be used, with the reason
  lapor bench                         run the benchmark (same as npm run bench)

Configuration comes from environment variables; see README.md.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return (await import('./commands/start.ts')).runStart();
    case 'db':
      return (await import('./commands/db.ts')).runDb(rest);
    case 'chat':
      return (await import('./commands/chat.ts')).runChat(rest);
    case 'train':
    case 'classify':
    case 'route':
    case 'eval':
      return (await import('./commands/ml.ts')).runMl(command, rest);
    case 'agency':
      return (await import('./commands/agency.ts')).runAgency(rest);
    case 'messages':
      return (await import('./commands/messages.ts')).runMessages(rest);
    case 'bench':
      return (await import('../bench/run.ts')).runBench(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(HELP);
      return 0;
    default:
      console.error(`lapor: unknown command "${command}". Run "lapor help".`);
      return 2;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (isLaporError(error)) {
    console.error(`lapor: ${error.message} [${error.code}]`);
  } else {
    console.error(`lapor: unexpected error: ${(error as Error)?.message ?? String(error)}`);
  }
  if (process.env.DEBUG) console.error(error);
  process.exitCode = 1;
}
// Everything is closed by now; a library timer (the schema engine keeps one for ~10 s) must
// not hold a finished command open. `start` only gets here after a clean stop.
process.exit(process.exitCode ?? 0);
