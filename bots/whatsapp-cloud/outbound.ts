import type { OutboundMessage } from '../../core/channel/port.ts';
import { renderNumberedChoices } from '../shared/choices.ts';

/** Limits of the Cloud API's interactive messages (Graph API reference, "Interactive object"). */
export const CLOUD_LIMITS = {
  textBody: 4096,
  buttonCount: 3,
  buttonTitle: 20,
  buttonId: 256,
  buttonBody: 1024,
  listRows: 10,
  listRowTitle: 24,
  listRowId: 200,
  listBody: 4096,
} as const;

/** Characters as WhatsApp counts them (code points, so an emoji is one). */
const length = (text: string): number => [...text].length;

/**
 * Builds the Graph API `/messages` body for one outbound message: reply buttons for up to 3
 * short choices (≤20 characters), a list for up to 10 (≤24 characters), numbered text otherwise.
 *
 * @example
 * ```ts
 * renderCloudMessage('6281234567890', { address: '+6281234567890', text: 'Kirim?', choices: [{ id: 'y', label: 'Ya' }] });
 * // { messaging_product: 'whatsapp', to: '6281234567890', type: 'interactive', interactive: { type: 'button', … } }
 * ```
 */
export function renderCloudMessage(to: string, message: OutboundMessage): Record<string, unknown> {
  const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to };
  const choices = message.choices ?? [];
  const en = message.locale === 'en';
  const body = message.text.trim() === '' ? (en ? 'Please choose:' : 'Silakan pilih:') : message.text;

  if (
    choices.length > 0 &&
    choices.length <= CLOUD_LIMITS.buttonCount &&
    length(body) <= CLOUD_LIMITS.buttonBody &&
    choices.every((c) => length(c.label) <= CLOUD_LIMITS.buttonTitle && length(c.id) <= CLOUD_LIMITS.buttonId)
  ) {
    return {
      ...base,
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: body },
        action: { buttons: choices.map((c) => ({ type: 'reply', reply: { id: c.id, title: c.label } })) },
      },
    };
  }

  if (
    choices.length > 0 &&
    choices.length <= CLOUD_LIMITS.listRows &&
    length(body) <= CLOUD_LIMITS.listBody &&
    choices.every(
      (c) => length(c.label) <= CLOUD_LIMITS.listRowTitle && length(c.id) <= CLOUD_LIMITS.listRowId,
    )
  ) {
    return {
      ...base,
      type: 'interactive',
      interactive: {
        type: 'list',
        body: { text: body },
        action: {
          button: en ? 'Choose' : 'Pilih',
          sections: [
            { title: en ? 'Options' : 'Pilihan', rows: choices.map((c) => ({ id: c.id, title: c.label })) },
          ],
        },
      },
    };
  }

  return {
    ...base,
    type: 'text',
    text: { body: renderNumberedChoices(message.text, choices, message.locale), preview_url: false },
  };
}
