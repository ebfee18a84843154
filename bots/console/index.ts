/**
 * The console channel: the bot in a terminal, for people designing dialogs (`lapor chat`).
 * Choices render as a numbered list; typing the number picks the choice (the dialog maps it).
 *
 * @example
 * ```ts
 * const adapter = createConsoleAdapter({ write: (line) => process.stdout.write(`${line}\n`) });
 * ```
 */
import type {
  ChannelAdapter,
  ChannelHandlers,
  OutboundMessage,
  SendResult,
} from '../../core/channel/port.ts';

export interface ConsoleAdapterOptions {
  /** Receives each rendered reply. */
  write: (rendered: string, message: OutboundMessage) => void;
  /** 'text' for people, 'jsonl' for scripts: `{"to","text","choices"}` per line. */
  format?: 'text' | 'jsonl';
}

export function renderForTerminal(message: OutboundMessage): string {
  const lines = [message.text];
  if (message.choices?.length) {
    lines.push('', ...message.choices.map((c, i) => `  ${i + 1}. ${c.label}`));
  }
  return lines.join('\n');
}

export function createConsoleAdapter(
  options: ConsoleAdapterOptions,
): ChannelAdapter & { readonly kind: 'console' } {
  let sent = 0;
  return {
    kind: 'console',
    async start(_handlers: ChannelHandlers) {
      /* input comes from the chat command's reader */
    },
    async send(message): Promise<SendResult> {
      const rendered =
        options.format === 'jsonl'
          ? JSON.stringify({ to: message.address, text: message.text, choices: message.choices ?? [] })
          : renderForTerminal(message);
      options.write(rendered, message);
      sent++;
      return { ok: true, providerMessageId: `console-${sent}` };
    },
    async stop() {},
    describe: () => 'console: terminal chat',
  };
}
