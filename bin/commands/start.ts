import { loadConfig } from '../../core/config/index.ts';
import { createService } from '../../core/service.ts';
import { describeUrl } from '../../core/store/database.ts';

/** Runs the service until SIGINT/SIGTERM, then stops cleanly. */
export async function runStart(): Promise<number> {
  const config = loadConfig();
  const service = await createService(config);
  await service.start();
  const where =
    config.database.kind === 'postgres'
      ? `PostgreSQL at ${describeUrl(config.database.url ?? '')}`
      : `embedded PGlite in ${config.database.dataDir}`;
  const lines = [
    `lapor: listening on http://${config.http.host}:${config.http.port} (database: ${where})`,
    ...service.adapters.map((a) => `lapor: ${a.describe()}`),
  ];
  if (service.adapters.length === 0)
    lines.push('lapor: no citizen channel configured (see README); try "lapor chat" to talk to the bot');
  for (const line of lines) console.log(line);
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      console.log(`lapor: ${signal} received, stopping`);
      service
        .stop()
        .catch((error) => console.error(`lapor: error while stopping: ${(error as Error).message}`))
        .finally(resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  console.log('lapor: stopped');
  return 0;
}
