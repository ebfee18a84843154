import type { Choice } from '../../core/channel/port.ts';

/**
 * Renders quick-reply choices as a numbered list under the text, for WhatsApp sessions that
 * cannot show buttons (whatsapp-web.js, and the Cloud API when labels are too long or too many).
 * The dialog maps a reply of "2" back to the second choice's id; the adapter does not.
 *
 * @example
 * ```ts
 * renderNumberedChoices('Kirim laporan?', [{ id: 'yes', label: 'Ya' }, { id: 'no', label: 'Tidak' }]);
 * // 'Kirim laporan?\n\n1. Ya\n2. Tidak\nBalas dengan angka 1–2.'
 * ```
 */
export function renderNumberedChoices(
  text: string,
  choices: readonly Choice[] | undefined,
  locale: 'id' | 'en' = 'id',
): string {
  if (!choices || choices.length === 0) return text;
  const lines = choices.map((choice, index) => `${index + 1}. ${choice.label}`).join('\n');
  const range = choices.length === 1 ? '1' : `1–${choices.length}`;
  const hint = locale === 'en' ? `Reply with a number ${range}.` : `Balas dengan angka ${range}.`;
  return `${text}\n\n${lines}\n${hint}`;
}
