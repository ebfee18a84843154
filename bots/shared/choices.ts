/**
 * Quick-reply choices as text, for channels without buttons (SMS, whatsapp-web.js, long lists on
 * WhatsApp Cloud): numbered so that "2" is the second choice. The dialog maps the number back
 * (dialogs/engine: a reply "2", "2." or "pilih 2" picks the second choice), so every numbered
 * rendering must number from 1 in the order given.
 *
 * @example
 * ```ts
 * renderNumberedChoices('Kirim?', [{ id: 'y', label: 'Ya' }, { id: 'n', label: 'Tidak' }]);
 * // 'Kirim?\n\n1. Ya\n2. Tidak\nBalas dengan angka 1–2.'
 * renderCompactChoices('Kirim?', [{ id: 'y', label: 'Ya' }, { id: 'n', label: 'Tidak' }]);
 * // 'Kirim?\nBalas: 1 Ya, 2 Tidak'
 * ```
 */
import type { Choice, Locale } from '../../dialogs/types.ts';

/** A numbered list under the text, with a hint how to answer (WhatsApp). */
export function renderNumberedChoices(
  text: string,
  choices: readonly Choice[] | undefined,
  locale: Locale = 'id',
): string {
  if (!choices || choices.length === 0) return text;
  const lines = choices.map((choice, index) => `${index + 1}. ${choice.label}`).join('\n');
  const range = choices.length === 1 ? '1' : `1–${choices.length}`;
  const hint = locale === 'en' ? `Reply with a number ${range}.` : `Balas dengan angka ${range}.`;
  return `${text}\n\n${lines}\n${hint}`;
}

/** One compact line of numbered choices (SMS, where every character costs). */
export function renderCompactChoices(
  text: string,
  choices: readonly Choice[] | undefined,
  locale: Locale = 'id',
): string {
  if (!choices || choices.length === 0) return text;
  const prompt = locale === 'en' ? 'Reply' : 'Balas';
  return `${text}\n${prompt}: ${choices.map((c, i) => `${i + 1} ${c.label}`).join(', ')}`;
}
