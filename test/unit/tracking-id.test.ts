import { describe, expect, it } from 'vitest';
import {
  findTrackingIdIn,
  generateTrackingId,
  isValidTrackingId,
  normalizeTrackingId,
  TRACKING_ID_ALPHABET,
} from '../../core/tracking-id/index.ts';

const CANONICAL_RE = /^LPR-[0-9A-HJKMNP-TV-Y]{3}-[0-9A-HJKMNP-TV-Y]{3}-[0-9A-HJKMNP-TV-Y]{3}$/;

/** A deterministic [0, 1) source (mulberry32) so failures reproduce. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The 9 body characters of a canonical ID. */
function body(id: string): string {
  return id.slice(4).replaceAll('-', '');
}

describe('alphabet', () => {
  it('has 31 distinct symbols (a prime) and no look-alikes', () => {
    expect(TRACKING_ID_ALPHABET).toHaveLength(31);
    expect(new Set(TRACKING_ID_ALPHABET).size).toBe(31);
    for (const ch of 'OILUZ') expect(TRACKING_ID_ALPHABET).not.toContain(ch);
  });
});

describe('generateTrackingId', () => {
  it('round-trips many generated IDs through normalize and validation', () => {
    const random = seeded(42);
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const id = generateTrackingId(random);
      expect(id).toMatch(CANONICAL_RE);
      expect(normalizeTrackingId(id)).toBe(id);
      expect(isValidTrackingId(id)).toBe(true);
      seen.add(id);
    }
    expect(seen.size).toBe(5000);
  });

  it('uses crypto randomness by default', () => {
    const ids = Array.from({ length: 200 }, () => generateTrackingId());
    for (const id of ids) expect(normalizeTrackingId(id)).toBe(id);
    expect(new Set(ids).size).toBe(200);
  });

  it('tolerates a random source that returns the edges of [0, 1]', () => {
    expect(isValidTrackingId(generateTrackingId(() => 0))).toBe(true);
    expect(isValidTrackingId(generateTrackingId(() => 0.999999999))).toBe(true);
    expect(isValidTrackingId(generateTrackingId(() => 1))).toBe(true);
  });
});

describe('error detection', () => {
  const random = seeded(7);
  const ids = Array.from({ length: 12 }, () => generateTrackingId(random));

  it('rejects every single-character substitution (exhaustive over the alphabet)', () => {
    for (const id of ids) {
      const b = body(id);
      for (let i = 0; i < b.length; i++) {
        for (const ch of TRACKING_ID_ALPHABET) {
          if (ch === b[i]) continue;
          const typo = b.slice(0, i) + ch + b.slice(i + 1);
          expect(normalizeTrackingId(typo), `${id} with ${ch} at ${i}`).toBeNull();
        }
      }
    }
  });

  it('rejects every adjacent transposition of distinct characters', () => {
    for (const id of ids) {
      const b = body(id);
      for (let i = 0; i + 1 < b.length; i++) {
        if (b[i] === b[i + 1]) continue;
        const swapped = b.slice(0, i) + b[i + 1] + b[i] + b.slice(i + 2);
        expect(normalizeTrackingId(swapped), `${id} swapping ${i},${i + 1}`).toBeNull();
      }
    }
  });

  it('also rejects non-adjacent transpositions', () => {
    for (const id of ids) {
      const chars = [...body(id)];
      for (let i = 0; i < chars.length; i++) {
        for (let j = i + 2; j < chars.length; j++) {
          if (chars[i] === chars[j]) continue;
          const swapped = [...chars];
          [swapped[i], swapped[j]] = [chars[j] ?? '', chars[i] ?? ''];
          expect(normalizeTrackingId(swapped.join(''))).toBeNull();
        }
      }
    }
  });
});

describe('normalizeTrackingId', () => {
  const id = 'LPR-7KQ-9M4-XTW';

  it('accepts the known example', () => {
    expect(normalizeTrackingId(id)).toBe(id);
  });

  it('is case-, space- and dash-insensitive, with or without the prefix', () => {
    for (const typed of [
      'lpr-7kq-9m4-xtw',
      'LPR7KQ9M4XTW',
      'lpr 7kq9 m4xtw',
      '7KQ9M4XTW',
      '7kq-9m4-xtw',
      '  7kq 9m4 xtw  ',
      'LPR.7KQ.9M4.XTW',
      'lpr_7kq_9m4_xtw',
    ]) {
      expect(normalizeTrackingId(typed), typed).toBe(id);
    }
  });

  it('folds look-alikes onto the alphabet', () => {
    // IDs containing 0, 1, 2 and V, typed with O, I/L, Z and U.
    const random = seeded(99);
    let checked = 0;
    for (let n = 0; n < 3000 && checked < 40; n++) {
      const generated = generateTrackingId(random);
      if (!/[012V]/.test(body(generated))) continue;
      const typed = generated
        .replaceAll('0', 'O')
        .replaceAll('1', n % 2 ? 'I' : 'l')
        .replaceAll('2', 'z')
        .replaceAll('V', 'u');
      expect(normalizeTrackingId(typed), typed).toBe(generated);
      checked++;
    }
    expect(checked).toBe(40);
    expect(normalizeTrackingId('IPR-7KQ-9M4-XTW')).toBe(id); // the prefix misread too
  });

  it('rejects a wrong check, wrong lengths and foreign characters', () => {
    expect(normalizeTrackingId('LPR-7KQ-9M4-XTX')).toBeNull();
    expect(normalizeTrackingId('LPR-7KQ-9M4-XT')).toBeNull();
    expect(normalizeTrackingId('LPR-7KQ-9M4-XTW-W')).toBeNull();
    expect(normalizeTrackingId('7KQ9M4XTWW')).toBeNull();
    expect(normalizeTrackingId('LPR')).toBeNull();
    expect(normalizeTrackingId('')).toBeNull();
    expect(normalizeTrackingId('LPR-7KQ-9M4-XT#')).toBeNull();
    expect(normalizeTrackingId('ABC-7KQ-9M4-XTW')).toBeNull();
    expect(isValidTrackingId('LPR-123')).toBe(false);
  });
});

describe('findTrackingIdIn', () => {
  const id = 'LPR-7KQ-9M4-XTW';

  it('pulls an ID out of chatty texts', () => {
    for (const text of [
      'cek lpr 7kq9 m4xtw ya',
      'Cek LPR-7KQ-9M4-XTW',
      'min, laporan saya LPR7KQ9M4XTW gimana kabarnya?',
      'status 7kq-9m4-xtw?',
      'cek 7kq 9m4 xtw ya',
      'nomor laporan: 7KQ9M4XTW. terima kasih',
      'tolong cek laporan lpr 7 k q 9 m 4 x t w',
      'lpr-7kq9-m4xtw\nmakasih pak',
      'sdh 2 minggu blm ada kabar LPR 7KQ 9M4 XTW',
    ]) {
      expect(findTrackingIdIn(text), text).toBe(id);
    }
  });

  it('returns the first valid ID when the text holds an invalid one before it', () => {
    expect(findTrackingIdIn('LPR-7KQ-9M4-XTX salah, yang benar LPR-7KQ-9M4-XTW')).toBe(id);
  });

  it('finds generated IDs in any case and grouping', () => {
    const random = seeded(3);
    for (let i = 0; i < 300; i++) {
      const generated = generateTrackingId(random);
      const b = body(generated).toLowerCase();
      expect(findTrackingIdIn(`cek ${generated.toLowerCase()} ya`)).toBe(generated);
      expect(findTrackingIdIn(`status laporan lpr ${b.slice(0, 4)} ${b.slice(4)} dong`)).toBe(generated);
      if (/[0-9]/.test(b)) expect(findTrackingIdIn(`cek ${b}`)).toBe(generated);
    }
  });

  it('finds nothing in texts without an ID', () => {
    for (const text of [
      '',
      'halo',
      'jalan berlubang di depan rumah saya sudah 3 bulan',
      'RT 05 RW 03 Kel. Sukamaju, Kec. Kemangkon, Purbalingga',
      'hubungi 081234567890',
      'cek LPR-7KQ-9M4-XTX',
      'LPR 7KQ 9M4',
    ]) {
      expect(findTrackingIdIn(text), text).toBeNull();
    }
  });

  it('never takes letters-only words for an unprefixed ID', () => {
    // Any 9 letters pass the check 1 time in 31 by chance, so a bare ID needs a digit.
    const words = ['berlubang', 'pelayanan', 'kesehatan', 'kabupaten', 'disdukcap', 'pengaduan'];
    for (const w of words) expect(findTrackingIdIn(`tolong ${w} ini`)).toBeNull();
  });
});

describe('trackingIdCandidates', () => {
  it('finds the real ID among the few one slip away from a mistyped one', async () => {
    const { generateTrackingId, trackingIdCandidates, TRACKING_ID_ALPHABET } = await import(
      '../../core/tracking-id/index.ts'
    );
    let seed = 7;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    for (let n = 0; n < 200; n++) {
      const id = generateTrackingId(random);
      const body = id.replace(/-/g, '').slice(3);
      const position = n % 9;
      const wrong =
        TRACKING_ID_ALPHABET[(TRACKING_ID_ALPHABET.indexOf(body[position]!) + 1 + (n % 29)) % 31]!;
      const typo = body.slice(0, position) + wrong + body.slice(position + 1);
      const candidates = trackingIdCandidates(`LPR${typo}`);
      expect(candidates).toContain(id);
      expect(candidates.length).toBeLessThanOrEqual(17);
      const swapAt = n % 8;
      if (body[swapAt] !== body[swapAt + 1]) {
        const swapped = body.slice(0, swapAt) + body[swapAt + 1] + body[swapAt] + body.slice(swapAt + 2);
        expect(trackingIdCandidates(swapped)).toContain(id);
      }
    }
    expect(trackingIdCandidates(generateTrackingId(random))).toEqual([]);
    expect(trackingIdCandidates('halo')).toEqual([]);
  });
});
