/**
 * Long texts cut into parts a channel accepts (Telegram and WhatsApp Cloud: 4,096 characters).
 * SMS has its own segmenter (bots/sms/segments.ts), which counts GSM-7 and UCS-2 units.
 *
 * @example
 * ```ts
 * splitAtLimit('satu dua tiga', 8); // ['satu dua', 'tiga']
 * ```
 */

/**
 * Splits `text` into parts of at most `limit` characters, preferring paragraph breaks, then
 * line breaks, then spaces; a hard cut only for a single unbroken run (never inside a
 * surrogate pair). Whitespace at the cut is dropped; the parts keep their order.
 */
export function splitAtLimit(text: string, limit: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const window = rest.slice(0, limit + 1);
    let cut = lastBreak(window, '\n\n', limit);
    if (cut <= 0) cut = lastBreak(window, '\n', limit);
    if (cut <= 0) cut = lastBreak(window, ' ', limit);
    if (cut <= 0) {
      cut = limit;
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut--; // keep a surrogate pair together
    }
    const part = rest.slice(0, cut).trimEnd();
    if (part !== '') parts.push(part);
    rest = rest.slice(cut).replace(/^\s+/, '');
  }
  if (rest.trim() !== '' || parts.length === 0) parts.push(rest);
  return parts;
}

/** Index where a break at `separator` leaves a first part of at most `limit` characters. */
function lastBreak(window: string, separator: string, limit: number): number {
  const at = window.lastIndexOf(separator, limit);
  return at === -1 ? -1 : at;
}
