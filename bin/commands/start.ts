import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { createService } from '../../app/compose.ts';
import { type Config, loadConfig } from '../../core/config/index.ts';
import { describeUrl, ensureWritableDir } from '../../core/store/database.ts';

/** Checks the directories the service will write before anything opens them. */
function checkDirectories(config: Config): void {
  const { database } = config;
  if (database.kind === 'pglite' && database.dataDir && database.dataDir !== ':memory:') {
    const fromDataDir = database.dataDir === resolve(config.dataDir, 'pglite');
    ensureWritableDir(database.dataDir, fromDataDir ? 'DATA_DIR' : 'DATABASE_URL');
  }
  if (config.whatsappWeb) ensureWritableDir(config.whatsappWeb.dataDir, 'DATA_DIR');
}

/** The address the HTTP server is bound to, as a URL (the real port when PORT=0). */
function listeningUrl(address: AddressInfo | string | null, config: Config): string {
  if (address === null) return `http://${config.http.host}:${config.http.port}`;
  if (typeof address === 'string') return address; // a Unix socket path
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/** Runs the service until SIGINT/SIGTERM, then stops cleanly. */
export async function runStart(): Promise<number> {
  const config = loadConfig();
  checkDirectories(config);
  const service = await createService(config);
  await service.start();
  const where =
    config.database.kind === 'postgres'
      ? `PostgreSQL at ${describeUrl(config.database.url ?? '')}`
      : `embedded PGlite in ${config.database.dataDir}`;
  const lines = [
    `lapor: listening on ${listeningUrl(service.app().server.address(), config)} (database: ${where})`,
    ...service.adapters.map((a) => `lapor: ${a.describe()}`),
    ...(service.desk ? [`lapor: ${service.desk.describe()}`] : []),
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
