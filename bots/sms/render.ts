import type { OutboundMessage } from '../../core/channel/port.ts';

/**
 * Renders choices compactly for SMS, where every character counts: the text, then one line
 * "Balas: 1 Ya, 2 Ubah, 3 Batal" ("Reply: …" in English). The dialog maps "2" back.
 *
 * @example
 * ```ts
 * renderSmsText({ address: '+62…', text: 'Kirim?', choices: [{ id: 'y', label: 'Ya' }, { id: 'n', label: 'Tidak' }] });
 * // 'Kirim?\nBalas: 1 Ya, 2 Tidak'
 * ```
 */
export function renderSmsText(message: OutboundMessage): string {
  const choices = message.choices ?? [];
  if (choices.length === 0) return message.text;
  const prompt = message.locale === 'en' ? 'Reply' : 'Balas';
  return `${message.text}\n${prompt}: ${choices.map((c, i) => `${i + 1} ${c.label}`).join(', ')}`;
}
