/**
 * `lapor chat`: talk to the intake dialog in a terminal, on the embedded database. With
 * `--jsonl` it reads `{"from","text"}` / `{"from","choice"}` lines on stdin and writes each
 * reply as `{"to","text","choices"}`, so conversations can be scripted.
 */
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createService } from '../../app/compose.ts';
import { createConsoleAdapter } from '../../bots/console/index.ts';
import { loadConfig } from '../../core/config/index.ts';
import { createLogger } from '../../core/logger.ts';

export async function runChat(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { jsonl: { type: 'boolean' }, from: { type: 'string' } } });
  const jsonl = values.jsonl ?? false;
  const config = loadConfig();
  const adapter = createConsoleAdapter({
    format: jsonl ? 'jsonl' : 'text',
    write: (rendered) =>
      process.stdout.write(jsonl ? `${rendered}\n` : `\n🤖 ${rendered.replace(/\n/g, '\n   ')}\n`),
  });
  const service = await createService(config, {
    logger: createLogger({ level: jsonl ? 'silent' : 'warn' }),
    skipConfiguredChannels: true,
    adapters: [adapter],
    noScheduler: true,
  });
  const defaultFrom = values.from ?? 'console:local';
  const rl = createInterface({ input: process.stdin, terminal: !jsonl && process.stdin.isTTY });
  if (!jsonl) {
    console.log('Chat dengan bot LAPOR! (ketik "bantuan"; Ctrl-D untuk keluar)');
    process.stdout.write('\n> ');
  }
  try {
    for await (const line of rl) {
      const trimmed = line.trim();
      if (!trimmed) {
        if (!jsonl) process.stdout.write('> ');
        continue;
      }
      let from = defaultFrom;
      let text: string | undefined = trimmed;
      let choice: string | undefined;
      if (jsonl) {
        try {
          const parsed = JSON.parse(trimmed) as { from?: unknown; text?: unknown; choice?: unknown };
          if (typeof parsed.from !== 'string' || !parsed.from)
            throw new Error('"from" must be a non-empty string');
          if (parsed.text !== undefined && typeof parsed.text !== 'string')
            throw new Error('"text" must be a string');
          if (parsed.choice !== undefined && typeof parsed.choice !== 'string')
            throw new Error('"choice" must be a string');
          from = parsed.from;
          text = parsed.text as string | undefined;
          choice = parsed.choice as string | undefined;
        } catch (error) {
          process.stdout.write(
            `${JSON.stringify({ error: `bad input line: ${(error as Error).message}` })}\n`,
          );
          continue;
        }
      }
      await service.intake.receive({
        channel: 'console',
        address: from,
        externalId: randomUUID(),
        ...(text !== undefined ? { text } : {}),
        ...(choice !== undefined ? { choice } : {}),
        receivedAt: new Date(),
      });
      await service.dispatcher.drain();
      if (!jsonl) process.stdout.write('\n> ');
    }
  } finally {
    rl.close();
    await service.stop();
  }
  return 0;
}
