import type { OutboundMessage } from '../../core/channel/port.ts';
import { renderCompactChoices } from '../shared/choices.ts';

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
  return renderCompactChoices(message.text, message.choices, message.locale);
}
