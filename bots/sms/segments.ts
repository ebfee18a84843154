/**
 * SMS length rules. A single SMS holds 160 GSM-7 characters or 70 UCS-2 code units; a part
 * of a longer text holds 153 or 67 (the rest carries the concatenation header, or here the
 * "(1/3) " label). One character outside GSM-7 (an emoji, a curly quote) switches the whole
 * text to UCS-2, so typography is mapped to plain equivalents first.
 */

/** GSM 03.38 default alphabet (one septet each). */
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** GSM 03.38 extension table: sent as ESC + char, two septets each. */
const GSM7_EXTENSION = new Set('^{}\\[~]|€\f');

/** Limits in GSM-7 septets or UCS-2 code units. */
export const SMS_LIMITS = {
  gsm7Single: 160,
  gsm7Part: 153,
  ucs2Single: 70,
  ucs2Part: 67,
} as const;

/** Typography that phones and editors insert, mapped to GSM-7 so one quote does not cost 2.3× more. */
const GSM_FRIENDLY: Readonly<Record<string, string>> = {
  '‘': "'",
  '’': "'",
  '‚': "'",
  '“': '"',
  '”': '"',
  '„': '"',
  '–': '-',
  '—': '-',
  '‐': '-',
  '‑': '-',
  '…': '...',
  '\u00a0': ' ',
  '\u2009': ' ',
  '\u202f': ' ',
  '•': '-',
  '\t': ' ',
};

/** Replaces typographic characters that have a GSM-7 equivalent (quotes, dashes, ellipsis, odd spaces). */
export function toGsmFriendly(text: string): string {
  return text.replace(/[‘’‚“”„–—‐‑…\u00a0\u2009\u202f•\t]/g, (ch) => GSM_FRIENDLY[ch] ?? ch);
}

/** True when every character is in the GSM-7 alphabet (default or extension table). */
export function isGsm7(text: string): boolean {
  for (const ch of text) if (!GSM7_BASIC.has(ch) && !GSM7_EXTENSION.has(ch)) return false;
  return true;
}

/** Cost of one character: septets in GSM-7, UTF-16 code units in UCS-2. */
function charCost(ch: string, gsm7: boolean): number {
  if (gsm7) return GSM7_EXTENSION.has(ch) ? 2 : 1;
  return ch.length;
}

/** Length as the network counts it: septets for GSM-7 texts, UTF-16 code units for UCS-2 texts. */
export function smsLength(text: string): number {
  const gsm7 = isGsm7(text);
  let total = 0;
  for (const ch of text) total += charCost(ch, gsm7);
  return total;
}

/** How the text would travel: its encoding and how many SMS segments a concatenated message takes. */
export function smsSegments(text: string): { encoding: 'gsm7' | 'ucs2'; length: number; segments: number } {
  const gsm7 = isGsm7(text);
  const length = smsLength(text);
  const single = gsm7 ? SMS_LIMITS.gsm7Single : SMS_LIMITS.ucs2Single;
  const part = gsm7 ? SMS_LIMITS.gsm7Part : SMS_LIMITS.ucs2Part;
  return {
    encoding: gsm7 ? 'gsm7' : 'ucs2',
    length,
    segments: length <= single ? 1 : Math.ceil(length / part),
  };
}

/** Greedy word wrap to `budget` cost units; words longer than a whole part are cut between characters. */
function wrap(text: string, budget: number, gsm7: boolean): string[] {
  const parts: string[] = [];
  let current = '';
  let currentCost = 0;
  const flush = () => {
    const trimmed = current.trimEnd();
    if (trimmed !== '') parts.push(trimmed);
    current = '';
    currentCost = 0;
  };
  // Tokens keep their trailing whitespace so line breaks inside a part survive.
  for (const token of text.match(/\S+\s*|\s+/g) ?? []) {
    const word = token.trimEnd();
    const wordCost = [...word].reduce((sum, ch) => sum + charCost(ch, gsm7), 0);
    const tokenCost = [...token].reduce((sum, ch) => sum + charCost(ch, gsm7), 0);
    if (currentCost + wordCost <= budget) {
      current += token;
      currentCost += tokenCost;
      continue;
    }
    if (wordCost <= budget) {
      flush();
      if (word === '') continue; // whitespace at the start of a part is dropped
      current = token;
      currentCost = tokenCost;
      continue;
    }
    // A single "word" longer than a part (a URL, a long id): fill the current part, then cut.
    for (const ch of word) {
      const cost = charCost(ch, gsm7);
      if (currentCost + cost > budget) flush();
      current += ch;
      currentCost += cost;
    }
    current += token.slice(word.length);
    currentCost += tokenCost - wordCost;
  }
  flush();
  return parts;
}

/** Twilio's maximum Body length; it segments longer-than-one-SMS bodies itself (concatenated SMS). */
export const TWILIO_MAX_BODY = 1600;

/**
 * Splits a text for sending.
 *
 * - `standalone` (default): one message when it fits in a single SMS (160 GSM-7 / 70 UCS-2),
 *   otherwise parts of at most 153 septets (GSM-7) or 67 code units (UCS-2), label included,
 *   cut at word boundaries and labelled "(1/3) ", "(2/3) "… so a citizen can read them in
 *   order even when the network delivers them out of order.
 * - `concatenated`: for gateways that send long bodies as one concatenated SMS (Twilio); the
 *   text stays whole up to {@link TWILIO_MAX_BODY} and only longer texts are cut and labelled.
 *
 * Typography with a GSM-7 equivalent is mapped first ({@link toGsmFriendly}).
 *
 * @example
 * ```ts
 * splitSms('Laporan Anda sudah kami terima…'); // ['Laporan Anda sudah kami terima...']
 * splitSms(longText);                          // ['(1/3) …', '(2/3) …', '(3/3) …']
 * ```
 */
export function splitSms(input: string, mode: 'standalone' | 'concatenated' = 'standalone'): string[] {
  const text = toGsmFriendly(input).trim();
  const gsm7 = isGsm7(text);
  let single: number;
  let part: number;
  if (mode === 'concatenated') {
    single = TWILIO_MAX_BODY;
    part = TWILIO_MAX_BODY;
  } else {
    single = gsm7 ? SMS_LIMITS.gsm7Single : SMS_LIMITS.ucs2Single;
    part = gsm7 ? SMS_LIMITS.gsm7Part : SMS_LIMITS.ucs2Part;
  }
  if (smsLength(text) <= single) return [text];
  // The label's length depends on the number of parts; re-wrap until that number is stable.
  let count = Math.ceil(smsLength(text) / part);
  for (;;) {
    const labelLength = `(${count}/${count}) `.length;
    const parts = wrap(text, part - labelLength, gsm7);
    if (parts.length <= count) return parts.map((p, i) => `(${i + 1}/${parts.length}) ${p}`);
    count = parts.length;
  }
}
