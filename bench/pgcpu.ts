/**
 * CPU time the PostgreSQL server spends for the benchmark's own processes: the backends whose
 * application_name starts with `lapor-bench-` (every child sets PGAPPNAME), read from
 * /proc/<pid>/stat (Linux). Lets the table say where a message's CPU goes on the box: the
 * service process, the database server, the load generator.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { PG_URL } from './databases.ts';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ; 100 on Linux). */
const TICKS_PER_SECOND = 100;

function cpuMsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

export class PgServerCpu {
  private constructor(private readonly client: pg.Client) {}

  /** Undefined when PostgreSQL or /proc is not available. */
  static async open(): Promise<PgServerCpu | undefined> {
    if (process.platform !== 'linux') return undefined;
    const client = new pg.Client({ connectionString: PG_URL, application_name: 'bench-observer' });
    try {
      await client.connect();
      return new PgServerCpu(client);
    } catch {
      await client.end().catch(() => {});
      return undefined;
    }
  }

  /** CPU ms per backend pid of the benchmark's processes, now. */
  async sample(): Promise<Map<number, number>> {
    const { rows } = await this.client.query<{ pid: number }>(
      `select pid from pg_stat_activity where application_name like 'lapor-bench-%'`,
    );
    const out = new Map<number, number>();
    for (const { pid } of rows) {
      const ms = cpuMsOf(pid);
      if (ms !== undefined) out.set(pid, ms);
    }
    return out;
  }

  /** CPU ms spent between two samples (backends that appeared in between count fully). */
  static delta(before: Map<number, number>, after: Map<number, number>): number {
    let total = 0;
    for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
    return total;
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => {});
  }
}
