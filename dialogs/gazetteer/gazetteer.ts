/**
 * The place matcher: builds name indexes over an AreaStore and resolves free Indonesian text to the
 * most specific consistent place.
 *
 * How `find` works, in short:
 *  1. The text is tokenised; every start position is probed with token n-grams (n <= 5, longest
 *     first) against Maps keyed by normalised name. No per-place loop, so cost depends on message
 *     length only.
 *  2. A prefix ("kab.", "kota", "kec.", "desa", ...) restricts the level of the following name and
 *     lifts the common-word stoplist. Without a prefix, names that are everyday words are ignored and
 *     villages are only kept if their district or regency is also mentioned.
 *  3. Each mention yields candidate places. The winner is the place consistent with the most
 *     mentions (a mention supports a place when it names the place or one of its ancestors). Ties
 *     make the answer ambiguous and the tied places become the candidates.
 */
import {
  ALIASES,
  BOUNDARY_CUES,
  COMMON_NAME_EXCEPTIONS,
  COMMON_WORDS,
  FUNCTION_WORDS,
  LOCATIVE_CUES,
  PREFIXES,
  type PrefixKind,
  STREET_FILLERS,
  STREET_OR_PERSON_CUES,
} from './lexicon.ts';
import { compactName, deletions, normalizeName, type Token, tokenize, withinOneEdit } from './normalize.ts';
import { AreaStore, DISTRICT, KABUPATEN, KOTA, PROVINCE, REGENCY, VILLAGE } from './store.ts';
import { type IdList, StringIndex } from './string-index.ts';
import type {
  FindOptions,
  Gazetteer,
  GazetteerData,
  GazetteerOptions,
  LocationResolution,
  Place,
} from './types.ts';

/** Longest name, in tokens, looked up in the text ("Daerah Khusus Ibukota Jakarta" has 4). */
const MAX_NGRAM = 5;
/** Longest n-gram tried for typo correction; longer names are rarely misspelled as a whole. */
const MAX_FUZZY_NGRAM = 3;
/** Names shorter than this are never typo-corrected: one edit changes them too much. */
const MIN_FUZZY_LENGTH = 6;
/** Unprefixed single-word names shorter than this are ignored ("Bua", "Ile" are too word-like). */
const MIN_BARE_LENGTH = 4;
/** Words glued to a name inside an account handle, hashtag or web address; see `handleMention`. */
const HANDLE_MARKERS: ReadonlyArray<readonly [string, PrefixKind]> = [
  ['pemkot', 'kota'],
  ['pemkab', 'kabupaten'],
  ['pemprov', 'province'],
  ['kota', 'kota'],
  ['kab', 'kabupaten'],
  ['prov', 'province'],
];
/**
 * Short codes of cities and regencies in common use in government account names ("@pemkotsmg",
 * "@dishubkotabdg"). Read only inside handles.
 */
const CITY_CODES: ReadonlyMap<string, string> = new Map([
  ['smg', 'semarang'],
  ['sby', 'surabaya'],
  ['bdg', 'bandung'],
  ['mlg', 'malang'],
  ['dpk', 'depok'],
  ['bks', 'bekasi'],
  ['tng', 'tangerang'],
  ['tangsel', 'tangerang selatan'],
  ['jogja', 'yogyakarta'],
  ['mdn', 'medan'],
  ['plg', 'palembang'],
  ['mks', 'makassar'],
  ['bgr', 'bogor'],
  ['pbg', 'purbalingga'],
  ['bjn', 'bojonegoro'],
  ['pkl', 'pekalongan'],
  ['mgl', 'magelang'],
  ['kdr', 'kediri'],
  ['bpp', 'balikpapan'],
  ['smd', 'samarinda'],
  ['pdg', 'padang'],
  ['pku', 'pekanbaru'],
  ['btm', 'batam'],
]);
/**
 * "didesa", "dikecamatan", "diwilayah": the locative "di" written joined to the next word, a
 * common habit in chat. The pair is read as two words when the second is an administrative
 * prefix or a locative cue.
 */
function splitGluedDi(tokens: Token[]): Token[] {
  let out: Token[] | null = null;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    const rest = t.norm.length > 4 && t.norm.startsWith('di') ? t.norm.slice(2) : '';
    if (rest && (PREFIX_BY_HEAD.has(rest) || LOCATIVE_CUES.has(rest))) {
      out ??= tokens.slice(0, k);
      out.push({ norm: 'di', start: t.start, end: t.start + 2, hyphenNext: false });
      out.push({ norm: rest, start: t.start + 2, end: t.end, hyphenNext: t.hyphenNext });
    } else if (out) out.push(t);
  }
  return out ?? tokens;
}
/** How many words back a landmark cue ("perbatasan", "dirujuk") reaches within one clause. */
const BOUNDARY_REACH = 7;
/** Prefix words that say which kind of village is meant; see `villageType`. */
const KELURAHAN_WORDS: ReadonlySet<string> = new Set(['kelurahan', 'kel', 'lurah']);
const DESA_WORDS: ReadonlySet<string> = new Set(['desa', 'ds']);
/**
 * Confidence of the kota reading of a bare name that names both a kota and the kabupaten around
 * it ("Semarang", "Bandung") when nothing else in the text tells them apart; see
 * `kotaOfSharedName` and LocationResolution.likely.
 */
const SHARED_NAME_KOTA = 0.85;
/** How many alternatives `find` offers when the text is ambiguous. */
const MAX_CANDIDATES = 5;

/** One id or several: most names are unique, so a bare number saves an array per key. */

/** A stretch of tokens that named one or more candidate places. */
interface Mention {
  ids: number[];
  /**
   * Villages with the same name as the strong reading ("Sukamaju" is a kecamatan and many desa);
   * they join `ids` only when the text also names their district or regency.
   */
  villages?: number[];
  /** Token range [start, end), including any prefix word. */
  start: number;
  end: number;
  /** Found by typo correction rather than exactly. */
  fuzzy: boolean;
  /** Announced by an administrative prefix ("kec.", "desa", "kota") that is not an everyday word. */
  prefixed?: boolean;
  /** Ids that came from the alias list (informal names, province names): deliberate, never everyday. */
  aliasIds?: ReadonlySet<number>;
  /** Index (in mention order) of the first mention of the context rather than the text itself. */
  context?: boolean;
}

/** A "desa X" whose X matched no village exactly; retried with typo tolerance once context is known. */
interface PendingVillage {
  start: number;
  /** Token index where the name begins (after the prefix). */
  nameStart: number;
}

interface ScanResult {
  text: string;
  tokens: Token[];
  strong: Mention[];
  /** Unprefixed village names: only kept when a mentioned district/regency contains them. */
  weak: Mention[];
  pending: PendingVillage[];
}

interface LookupResult {
  strong?: Mention;
  weak?: Mention;
}

interface Resolution {
  /** Winning place ids, most likely first; one id means resolved. */
  ids: number[];
  /** Mentions that support the winners, in text order. */
  used: Mention[];
  /** See LocationResolution.confidence. */
  confidence: number;
  ambiguous: boolean;
  /** See LocationResolution.likely. */
  likely?: { id: number; confidence: number };
}

// Evidence weights (see `mentionEvidence`). A prefixed name or an alias counts 1.
/** A kabupaten/kota name written bare ("purbalingga"). */
const BARE_REGENCY = 0.8;
/** A kecamatan name written bare: many are shared, or are also desa names elsewhere. */
const BARE_DISTRICT = 0.45;
/** A desa name written bare, admitted only inside a district or regency the text names. */
const BARE_VILLAGE = 0.35;
/** An everyday word that is also a place name keeps a quarter of its weight. */
const EVERYDAY_FACTOR = 0.25;
const CUE_BONUS = 0.25;
const CAPITAL_BONUS = 0.2;
const MULTIWORD_BONUS = 0.15;
/** No other place in the country has the name. */
const UNIQUE_BONUS = 0.2;
/** Each desa of the same name in another regency makes the bare name less telling. */
const VILLAGE_DILUTION = 0.25;
const FUZZY_FACTOR = 0.6;
/** A bare name in capitals inside mixed-case text. */
const ACRONYM_FACTOR = 0.5;
/** A name just after "perbatasan"/"batas": a landmark, not the place. */
const BOUNDARY_FACTOR = 0.5;
/** Evidence below this is no reading at all. */
const MIN_EVIDENCE = 0.3;
/** Exact evidence at least this strong keeps typo-tolerant readings out unless they agree. */
const STANDALONE_EVIDENCE = 0.6;
/** Readings of the context count this much, and only where the text agrees. */
const CONTEXT_WEIGHT = 0.5;
/** Share of a province mention's evidence given to each of its kabupaten/kota the text names. */
const PROVINCE_AGREEMENT = 0.5;
/** Two areas this close in evidence are a tie: ask. */
const TIE_MARGIN = 0.15;
/** A lead this large over the next reading is a clear one. */
const CLEAR_MARGIN = 0.6;

/**
 * Confidence above which a reading may be filed without asking the citizen (see
 * LocationResolution.confidence): e.g. a prefixed name, a bare kabupaten name, a kecamatan
 * name with a locative cue, or two mentions that agree.
 */
export const PLACE_CONFIDENT = 0.65;

/** Share of letters that are uppercase: ALL-CAPS messages say nothing by capitalisation. */
function uppercaseShare(text: string): number {
  let upper = 0;
  let letters = 0;
  for (const ch of text) {
    if (ch >= 'a' && ch <= 'z') letters++;
    else if (ch >= 'A' && ch <= 'Z') {
      letters++;
      upper++;
    }
  }
  return letters ? upper / letters : 0;
}

/** A capitalised word that does not open a sentence, a handle or a hashtag. */
function isCapitalised(text: string, token: Token): boolean {
  const first = text[token.start] ?? '';
  if (!(first >= 'A' && first <= 'Z')) return false;
  let i = token.start - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t' || text[i] === '"' || text[i] === '(')) i--;
  if (i < 0) return false;
  return !'.!?\n\r:@#'.includes(text[i]!);
}

const PREFIX_BY_HEAD = groupPrefixes();

interface PrefixMatch {
  kind: PrefixKind;
  length: number;
  /** The prefix is also an everyday word, so the name after it must pass the stoplist. */
  strict: boolean;
}

function groupPrefixes(): Map<
  string,
  Array<{ tokens: readonly string[]; kind: PrefixKind; strict: boolean }>
> {
  const map = new Map<string, Array<{ tokens: readonly string[]; kind: PrefixKind; strict: boolean }>>();
  for (const [tokens, kind, options] of PREFIXES) {
    const head = tokens[0]!;
    const list = map.get(head) ?? [];
    list.push({ tokens, kind, strict: options?.everydayWord === true });
    // Longer prefixes first, so "kota administrasi" wins over "kota".
    list.sort((a, b) => b.tokens.length - a.tokens.length);
    map.set(head, list);
  }
  return map;
}

function pushIds(out: number[], value: IdList | undefined): void {
  if (value === undefined) return;
  if (typeof value === 'number') out.push(value);
  else for (let i = 0; i < value.length; i++) out.push(value[i]!);
}

const DIGITS = /^\d+$/;
const VILLAGE_WORD_IN_NAME = /^(desa|kelurahan|kampung|kampuang|gampong|nagari|pekon) /;

function isCommon(word: string): boolean {
  return COMMON_WORDS.has(word) || FUNCTION_WORDS.has(word) || DIGITS.test(word);
}

/**
 * True when these words, written without a prefix, should not be read as a place name: a common
 * word, a too-short word, or a phrase made only of common words ("kota baru", "sungai penuh").
 */
function isBlockedBare(words: readonly string[], key: string): boolean {
  if (words.length === 1) {
    const word = words[0]!;
    return word.length < MIN_BARE_LENGTH || isCommon(word);
  }
  if (FUNCTION_WORDS.has(words[0]!) || FUNCTION_WORDS.has(words[words.length - 1]!)) return true;
  if (COMMON_NAME_EXCEPTIONS.has(key)) return false;
  return words.every(isCommon);
}

const DICT_SUFFIXES = ['nya', 'lah', 'kah', 'kan', 'an', 'i'];
// Prefix -> replacement restoring the initial consonant that the meN-/peN- prefixes swallow.
const DICT_PREFIXES: ReadonlyArray<readonly [string, string[]]> = [
  ['meng', ['', 'k']],
  ['meny', ['s']],
  ['mem', ['', 'p']],
  ['men', ['', 't']],
  ['me', ['']],
  ['peng', ['', 'k']],
  ['peny', ['s']],
  ['pem', ['', 'p']],
  ['pen', ['', 't']],
  ['per', ['']],
  ['pe', ['']],
  ['ber', ['']],
  ['be', ['']],
  ['ter', ['']],
  ['te', ['']],
  ['di', ['']],
  ['ke', ['']],
  ['se', ['']],
];

/** Builds the lookup indexes once and answers queries; see the module comment. */
class IndexedGazetteer implements Gazetteer {
  private readonly store: AreaStore;
  /** Normalised name -> ids, for every level. Regencies are keyed by their bare name ("purbalingga"). */
  private readonly names = new StringIndex();
  /** Multi-word names with the spaces removed ("kulonprogo"), for text that joins them. */
  private readonly compacts = new StringIndex();
  /** Informal names from the lexicon; exempt from the common-word and length rules. */
  private readonly aliases = new StringIndex();
  /** Compact name -> ids for names eligible for typo correction (not villages, not common words). */
  private readonly fuzzyNames = new StringIndex();
  /** One-deletion variant -> compact names it came from, as their numbers in fuzzyNames (symmetric-delete index). */
  private readonly fuzzyDeletes = new StringIndex();
  private readonly dictionary = new StringIndex();
  /** Everyday words (normalised); see GazetteerOptions.everydayWords. */
  private readonly everyday = new StringIndex();
  /** Hyphenated dictionary words, normalised ("pontang panting"); their halves are not names. */
  private readonly compounds = new StringIndex();
  /**
   * First words of multi-word names and aliases. Most n-grams in a message start with a word that
   * begins no multi-word name; checking this set first skips their lookups entirely.
   */
  private readonly firstWords = new StringIndex();
  /** First words of multi-word names eligible for typo correction, for the same reason. */
  private readonly fuzzyFirstWords = new StringIndex();

  constructor(data: GazetteerData, options: GazetteerOptions) {
    this.store = new AreaStore(data);
    for (const entry of options.dictionary ?? []) {
      const normalized = normalizeName(entry);
      // Hyphenated entries ("pontang-panting") reach the matcher as separate tokens.
      if (normalized.includes(' ')) this.compounds.add(normalized);
      for (const part of normalized.split(' ')) if (part !== '') this.dictionary.add(part);
    }
    for (const entry of options.everydayWords ?? []) {
      const normalized = normalizeName(entry);
      if (normalized !== '' && !normalized.includes(' ')) this.everyday.add(normalized);
    }
    this.buildIndexes();
    for (const index of [
      this.names,
      this.compacts,
      this.aliases,
      this.fuzzyNames,
      this.fuzzyDeletes,
      this.dictionary,
      this.everyday,
      this.compounds,
      this.firstWords,
      this.fuzzyFirstWords,
    ])
      index.freeze();
  }

  private buildIndexes(): void {
    const { store } = this;
    for (let id = 0; id < store.size; id++) {
      const level = store.levels[id]!;
      let key = normalizeName(store.name(id));
      // "Kabupaten Purbalingga", "Kota Administrasi Jakarta Selatan": citizens rarely write the
      // type word, and when they do the prefix logic handles it, so index the bare name.
      if (level === REGENCY) key = key.replace(/^(kabupaten|kota)( administrasi)? /, '');
      if (key === '') continue;
      this.names.add(key, id);
      this.noteFirstWord(key, this.firstWords);
      // Some desa names start with the word for desa ("Gampong Baro", "Kampung Harapan"); citizens
      // write "gampong baro", which the matcher reads as prefix + "baro", so index that too.
      if (level === VILLAGE) {
        const bare = key.replace(VILLAGE_WORD_IN_NAME, '');
        if (bare !== key && bare !== '') this.names.add(bare, id);
      }
      const compact = compactName(key);
      if (compact !== key) this.compacts.add(compact, id);
      if (level !== VILLAGE) this.addFuzzy(key, id, level === PROVINCE);
    }
    // Province names are never everyday words, but some consist of words that are ("Jawa Tengah"):
    // exempt them from the stoplist by treating them as aliases.
    for (let id = 0; id < store.size && store.levels[id] === PROVINCE; id++) {
      const key = normalizeName(store.name(id));
      this.aliases.add(key, id);
      this.noteFirstWord(key, this.firstWords);
    }
    for (const [alias, codes] of Object.entries(ALIASES)) {
      for (const code of codes) {
        const id = store.idOf(code);
        if (id === undefined) continue;
        this.aliases.add(alias, id);
        this.noteFirstWord(alias, this.firstWords);
        this.addFuzzy(alias, id, true);
      }
    }
  }

  private noteFirstWord(key: string, set: StringIndex): void {
    const space = key.indexOf(' ');
    if (space > 0) set.add(key.slice(0, space));
  }

  /** Adds a name to the typo index; `exempt` names (provinces, aliases) skip the stoplist. */
  private addFuzzy(key: string, id: number, exempt: boolean): void {
    const compact = compactName(key);
    if (compact.length < MIN_FUZZY_LENGTH || (!exempt && isBlockedBare(key.split(' '), key))) return;
    this.noteFirstWord(key, this.fuzzyFirstWords);
    const known = this.fuzzyNames.has(compact);
    this.fuzzyNames.add(compact, id);
    if (known) return;
    // A new key is the last one: its number is the size less one.
    const nameNumber = this.fuzzyNames.size - 1;
    for (const variant of deletions(compact)) this.fuzzyDeletes.add(variant, nameNumber);
  }

  // ---------------------------------------------------------------------------------------------
  // Public API

  find(text: string, options: FindOptions = {}): LocationResolution {
    if (options.context) {
      // The context follows the text after a line break, so no mention spans both.
      const joined = `${text}\n${options.context}`;
      const scan = this.scan(joined);
      const from = scan.tokens.findIndex((t) => t.start > text.length);
      const resolution = this.resolve(scan, MAX_CANDIDATES, from < 0 ? scan.tokens.length : from);
      return this.toResult(joined, scan.tokens, resolution);
    }
    const scan = this.scan(text);
    const resolution = this.resolve(scan, MAX_CANDIDATES);
    return this.toResult(text, scan.tokens, resolution);
  }

  get(code: string): Place | undefined {
    const id = this.store.idOf(code);
    return id === undefined ? undefined : this.store.place(id);
  }

  regencyOf(code: string): Place | undefined {
    const id = this.store.idOf(code);
    if (id === undefined) return undefined;
    const regency = this.store.ancestorAt(id, REGENCY);
    return regency < 0 ? undefined : this.store.place(regency);
  }

  provinceOf(code: string): Place | undefined {
    const id = this.store.idOf(code);
    if (id === undefined) return undefined;
    const province = this.store.ancestorAt(id, PROVINCE);
    return province < 0 ? undefined : this.store.place(province);
  }

  search(query: string, limit = 10): Place[] {
    if (limit <= 0) return [];
    const ranked: number[] = [];
    const seen = new Set<number>();
    const take = (ids: Iterable<number>) => {
      for (const id of ids) {
        if (!seen.has(id)) {
          seen.add(id);
          ranked.push(id);
        }
      }
    };

    // 1. Whatever `find` makes of it: handles "sukamaju, garut" and "kec kemangkon" style answers.
    const scan = this.scan(query);
    take(this.resolve(scan, limit).ids);

    // 2. The whole answer as one name, without the stoplist: a citizen asked "where?" who replies
    //    "Baru" means the place. A leading prefix still selects the level.
    const tokens = scan.tokens;
    let first = 0;
    let kind: PrefixKind | null = null;
    const prefix = this.matchPrefix(tokens, 0);
    if (prefix && prefix.length < tokens.length) {
      first = prefix.length;
      kind = prefix.kind;
    }
    const words = tokens.slice(first).map((t) => t.norm);
    if (words.length === 0) return ranked.slice(0, limit).map((id) => this.store.place(id));
    const key = words.join(' ');
    const compact = words.join('');
    const exact: number[] = [];
    pushIds(exact, this.aliases.get(key));
    pushIds(exact, this.names.get(key));
    pushIds(exact, this.names.get(compact));
    pushIds(exact, this.compacts.get(compact));
    take(this.sortByProminence(this.filterKind(exact, kind)));

    // 3. One typo, for every level (villages by a linear scan: acceptable for a one-off answer).
    if (ranked.length < limit && compact.length >= MIN_FUZZY_LENGTH - 1) {
      const fuzzy = this.fuzzyIds(compact);
      if (kind === null || kind === 'village') {
        // Villages are not in the typo index; scan the name keys (already normalised) instead.
        const villages: number[] = [];
        const { names } = this;
        for (let k = 0; k < names.size; k++) {
          // Length first, without materialising the key: most keys are too long or too short.
          if (Math.abs(names.keyLength(k) - compact.length) > 4) continue;
          const name = names.keyAt(k);
          if (withinOneEdit(name.includes(' ') ? compactName(name) : name, compact))
            pushIds(villages, names.valuesAt(k));
        }
        for (const id of villages) if (this.store.levels[id] === VILLAGE) fuzzy.push(id);
      }
      take(this.sortByProminence(this.filterKind(fuzzy, kind)));
    }

    // 4. Names that start with what was typed ("kemang" -> "Kemangkon").
    if (ranked.length < limit && key.length >= MIN_BARE_LENGTH) {
      const starts: number[] = [];
      const { names } = this;
      for (let k = 0; k < names.size; k++)
        if (names.keyStartsWith(k, key)) pushIds(starts, names.valuesAt(k));
      take(this.sortByProminence(this.filterKind(starts, kind)));
    }
    return ranked.slice(0, limit).map((id) => this.store.place(id));
  }

  // ---------------------------------------------------------------------------------------------
  // Scanning

  private scan(text: string): ScanResult {
    const tokens = splitGluedDi(tokenize(text));
    const count = tokens.length;
    // Positions right after "jl."/"pak"/...: a name there is a street or a person, not a place.
    const cueBlocked = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      if (!STREET_OR_PERSON_CUES.has(tokens[i]!.norm)) continue;
      let j = i + 1;
      while (j < count && STREET_FILLERS.has(tokens[j]!.norm)) j++;
      if (j < count) cueBlocked[j] = 1;
    }

    const result: ScanResult = { text, tokens, strong: [], weak: [], pending: [] };
    let i = 0;
    while (i < count) {
      const handle = this.handleMention(text, tokens, i);
      if (handle) {
        result.strong.push(handle);
        i = handle.end;
        continue;
      }
      const prefix = this.matchPrefix(tokens, i);
      if (prefix) {
        const nameStart = i + prefix.length;
        const hit = nameStart < count ? this.lookupAt(tokens, nameStart, prefix.kind, prefix.strict) : {};
        if (hit.strong) {
          if (prefix.kind === 'village') hit.strong.ids = this.villageType(hit.strong.ids, tokens[i]!.norm);
          hit.strong.start = i;
          if (!prefix.strict) hit.strong.prefixed = true;
          result.strong.push(hit.strong);
          i = hit.strong.end;
          continue;
        }
        if (prefix.kind === 'village' && nameStart < count) result.pending.push({ start: i, nameStart });
        // The prefix word may itself begin a name ("Kota Agung"); otherwise move past it.
        if (!cueBlocked[i]) {
          const own = this.lookupAt(tokens, i, null);
          if (own.weak) result.weak.push(own.weak);
          if (own.strong) {
            result.strong.push(own.strong);
            i = own.strong.end;
            continue;
          }
        }
        i = nameStart;
        continue;
      }
      if (!cueBlocked[i]) {
        const hit = this.lookupAt(tokens, i, null);
        if (hit.weak) result.weak.push(hit.weak);
        if (hit.strong) {
          result.strong.push(hit.strong);
          i = hit.strong.end;
          continue;
        }
      }
      i++;
    }
    return result;
  }

  /**
   * A government account, hashtag or web address that carries its region: "@pemkotsmg",
   * "#DishubKotaBogor", "purbalinggakab.go.id". Read only inside such handles (an "@" or "#"
   * before the word, or ".go.id" after it), where the glued "kota"/"kab"/"pemkot"/"pemkab" marks
   * the name; a short city code ("smg") counts only there, since as a free word it is often chat
   * shorthand ("smg" = semoga).
   */
  private handleMention(text: string, tokens: readonly Token[], i: number): Mention | null {
    const token = tokens[i]!;
    const before = text[token.start - 1];
    const isHandle =
      before === '@' || before === '#' || text.slice(token.end, token.end + 6).toLowerCase() === '.go.id';
    if (!isHandle || token.norm.length < 6) return null;
    const word = token.norm;
    for (const [marker, kind] of HANDLE_MARKERS) {
      for (let at = word.indexOf(marker); at >= 0; at = word.indexOf(marker, at + 1)) {
        // The name after the marker ("pemkotsemarang", "dishubkotasmg") or before it ("purbalinggakab").
        for (const name of [word.slice(at + marker.length), word.slice(0, at)]) {
          if (name.length < 3) continue;
          const ids = this.handleIds(CITY_CODES.get(name) ?? name, kind);
          if (ids.length > 0) return { ids, start: i, end: i + 1, fuzzy: false, prefixed: true };
        }
      }
    }
    return null;
  }

  private handleIds(name: string, kind: PrefixKind): number[] {
    const found: number[] = [];
    pushIds(found, this.names.get(name));
    pushIds(found, this.compacts.get(name));
    const typed = found.filter((id) => this.matchesKind(id, kind));
    if (typed.length > 0) return unique(typed);
    // "pemkotpurbalingga": a kota word before a name that is only a kabupaten, as with "kota X".
    return kind === 'province' ? [] : unique(found.filter((id) => this.store.levels[id] === REGENCY));
  }

  private matchPrefix(tokens: readonly Token[], i: number): PrefixMatch | null {
    const token = tokens[i];
    const options = token && PREFIX_BY_HEAD.get(token.norm);
    if (!options) return null;
    for (const option of options) {
      if (option.tokens.every((word, k) => tokens[i + k]?.norm === word)) {
        return { kind: option.kind, length: option.tokens.length, strict: option.strict };
      }
    }
    return null;
  }

  /**
   * Probes n-grams starting at token `start`, longest first. `kind` is the level announced by a
   * prefix, or null for a bare name (then the stoplist applies and villages come back as weak).
   */
  private lookupAt(
    tokens: readonly Token[],
    start: number,
    kind: PrefixKind | null,
    strict = false,
  ): LookupResult {
    // After a prefix, a second prefix word alone ("kel/desa X") is not a name, but it may begin one
    // ("Kec. Kota Baru", "desa Gampong Baro").
    const minN = kind !== null && PREFIX_BY_HEAD.has(tokens[start]!.norm) ? 2 : 1;
    const maxN = Math.min(MAX_NGRAM, tokens.length - start);
    const words: string[] = [];
    for (let k = 0; k < maxN; k++) words.push(tokens[start + k]!.norm);

    let weak: Mention | undefined;
    let sawExact = false;
    const startsMultiWord = this.firstWords.has(words[0]!);
    for (let n = maxN; n >= minN; n--) {
      // Beyond 3 words only multi-word names can match, and only if the first word begins one.
      if (n > 3 && !startsMultiWord) continue;
      const gram = n === maxN ? words : words.slice(0, n);
      const key = gram.join(' ');
      const found: number[] = [];
      let aliasIds: Set<number> | undefined;
      const allowNames =
        kind === null || strict
          ? !isBlockedBare(gram, key) && !this.splitsCompound(tokens, start, start + n)
          : !(n === 1 && FUNCTION_WORDS.has(key));
      if (n === 1 || startsMultiWord) {
        const aliased = this.aliases.get(key);
        if (aliased !== undefined) {
          aliasIds = new Set(typeof aliased === 'number' ? [aliased] : aliased);
          pushIds(found, aliased);
        }
        if (allowNames) pushIds(found, this.names.get(key));
      }
      if (allowNames) {
        // The same name written joined ("kulonprogo") or split ("purba lingga", "gunung kidul").
        // A part of one or two letters is no half of a name ("sore p" is not "Sor Ep").
        if (n === 1 || gram.every((w) => w.length >= 3)) {
          const compact = n === 1 ? key : gram.join('');
          pushIds(found, this.compacts.get(compact));
          if (n > 1) pushIds(found, this.names.get(compact));
        }
      }
      if (found.length === 0) continue;
      sawExact = true;
      const strongIds: number[] = [];
      const weakIds: number[] = [];
      for (const id of unique(found)) {
        if (!this.matchesKind(id, kind)) continue;
        if (kind === null && this.store.levels[id] === VILLAGE) weakIds.push(id);
        else strongIds.push(id);
      }
      const end = start + n;
      if (strongIds.length > 0) {
        const strong: Mention = { ids: strongIds, start, end, fuzzy: false };
        if (aliasIds) strong.aliasIds = aliasIds;
        if (weakIds.length > 0) strong.villages = weakIds;
        return { strong, weak };
      }
      if (weakIds.length > 0 && !weak) weak = { ids: weakIds, start, end, fuzzy: false };
    }
    // Typo correction only when nothing matched exactly, and never for villages (too many
    // near-identical names; "desa X" gets a context-limited retry in `resolve` instead).
    if (sawExact || kind === 'village') return { weak };
    const startsFuzzyMultiWord = this.fuzzyFirstWords.has(words[0]!);
    for (let n = Math.min(MAX_FUZZY_NGRAM, maxN); n >= minN; n--) {
      // A misspelt multi-word name is recognised by its (correct) first word.
      if (n > 1 && !startsFuzzyMultiWord) continue;
      const gram = words.slice(0, n);
      const compact = gram.join('');
      if (compact.length < MIN_FUZZY_LENGTH) continue;
      if (gram.some((w) => FUNCTION_WORDS.has(w))) continue;
      if ((kind === null || strict) && isBlockedBare(gram, gram.join(' '))) continue;
      if ((kind === null || strict) && this.splitsCompound(tokens, start, start + n)) continue;
      const ids = this.fuzzyIds(compact, true).filter((id) => this.matchesKind(id, kind));
      if (ids.length === 0) continue;
      // A real word one letter away from a place name is that word, not a typo ("pelayanan").
      if (n === 1 && this.isDictionaryWord(compact)) continue;
      return { strong: { ids, start, end: start + n, fuzzy: true }, weak };
    }
    return { weak };
  }

  /**
   * True when the span [start, end) cuts a hyphenated dictionary word in half: "pontang" in
   * "pontang-panting" is not Kec. Pontang.
   */
  private splitsCompound(tokens: readonly Token[], start: number, end: number): boolean {
    if (this.compounds.size === 0) return false;
    const before = tokens[start - 1];
    if (before?.hyphenNext && this.compounds.has(`${before.norm} ${tokens[start]!.norm}`)) return true;
    const last = tokens[end - 1]!;
    const after = tokens[end];
    return last.hyphenNext && after !== undefined && this.compounds.has(`${last.norm} ${after.norm}`);
  }

  /**
   * "Kelurahan X" names an urban kelurahan, "desa X" a rural desa: where the same name is both
   * somewhere, the word the citizen chose keeps the readings of that type (Kemendagri codes tell
   * them apart: the last segment starts with 1 for a kelurahan, 2 for a desa). When no reading
   * has that type the word is taken loosely and every reading stays.
   */
  private villageType(ids: number[], prefixWord: string): number[] {
    const wanted = KELURAHAN_WORDS.has(prefixWord) ? '1' : DESA_WORDS.has(prefixWord) ? '2' : null;
    if (wanted === null || ids.length < 2) return ids;
    const typed = ids.filter((id) => {
      const code = this.store.code(id);
      return this.store.levels[id] === VILLAGE && code.slice(code.lastIndexOf('.') + 1).startsWith(wanted);
    });
    return typed.length > 0 ? typed : ids;
  }

  private matchesKind(id: number, kind: PrefixKind | null): boolean {
    const level = this.store.levels[id];
    switch (kind) {
      case null:
        return true;
      case 'province':
        return level === PROVINCE;
      case 'kabupaten':
        return level === REGENCY && this.store.regencyKind[id] === KABUPATEN;
      case 'kota':
        return level === REGENCY && this.store.regencyKind[id] === KOTA;
      case 'district':
        return level === DISTRICT;
      case 'village':
        return level === VILLAGE;
    }
  }

  private filterKind(ids: number[], kind: PrefixKind | null): number[] {
    return kind === null ? ids : ids.filter((id) => this.matchesKind(id, kind));
  }

  /**
   * Ids of non-village names within one edit of `compact` (symmetric-delete lookup, then verify).
   * `sameStart`: only names that begin with the same letter. In running text a first letter is
   * rarely the one mistyped, while a real word one letter from a name very often differs there
   * ("Plamongan" is not Lamongan).
   */
  private fuzzyIds(compact: string, sameStart = false): number[] {
    const names = new Set<string>();
    const collect = (value: IdList | undefined) => {
      if (value === undefined) return;
      if (typeof value === 'number') names.add(this.fuzzyNames.keyAt(value));
      else for (const n of value) names.add(this.fuzzyNames.keyAt(n));
    };
    if (this.fuzzyNames.has(compact)) names.add(compact);
    collect(this.fuzzyDeletes.get(compact));
    for (const variant of deletions(compact)) {
      if (this.fuzzyNames.has(variant)) names.add(variant);
      collect(this.fuzzyDeletes.get(variant));
    }
    const ids: number[] = [];
    for (const name of names) {
      if (sameStart && name.charCodeAt(0) !== compact.charCodeAt(0)) continue;
      if (withinOneEdit(name, compact)) pushIds(ids, this.fuzzyNames.get(name));
    }
    return unique(ids);
  }

  /** Is this token an Indonesian word, possibly with common affixes ("perbaikan", "jalannya")? */
  private isDictionaryWord(word: string): boolean {
    const known = (w: string) => this.dictionary.has(w) || isCommon(w);
    const withoutSuffixes = (w: string): string[] => {
      const out = [w];
      for (const suffix of DICT_SUFFIXES) {
        if (w.length > suffix.length + 2 && w.endsWith(suffix)) {
          const stem = w.slice(0, -suffix.length);
          out.push(stem);
          for (const second of DICT_SUFFIXES) {
            if (stem.length > second.length + 2 && stem.endsWith(second))
              out.push(stem.slice(0, -second.length));
          }
        }
      }
      return out;
    };
    for (const stem of withoutSuffixes(word)) {
      if (known(stem)) return true;
      for (const [prefix, restores] of DICT_PREFIXES) {
        if (stem.length <= prefix.length + 2 || !stem.startsWith(prefix)) continue;
        const rest = stem.slice(prefix.length);
        for (const restore of restores) {
          const root = restore + rest;
          if (known(root)) return true;
          // Stacked prefixes: "diper-", "memper-", "keber-".
          for (const [inner] of DICT_PREFIXES) {
            if (root.startsWith(inner) && root.length > inner.length + 2 && known(root.slice(inner.length))) {
              return true;
            }
          }
        }
      }
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // Resolution

  private resolve(scan: ScanResult, cap: number, contextFrom = Number.POSITIVE_INFINITY): Resolution {
    const { store } = this;
    const none: Resolution = { ids: [], used: [], confidence: 0, ambiguous: false };
    const context = new Set<number>();
    for (const m of scan.strong) for (const id of m.ids) context.add(id);
    // Unprefixed village names count only inside a district/regency the text also names.
    const inContext = (id: number) =>
      context.has(store.parents[id]!) || context.has(store.ancestorAt(id, REGENCY));

    const mentions = scan.strong.map((m) => {
      const villages = m.villages?.filter(inContext) ?? [];
      return villages.length > 0 ? { ...m, ids: [...m.ids, ...villages] } : m;
    });
    const taken = mentions.map((m) => [m.start, m.end] as const);
    const overlaps = (m: Mention) => taken.some(([s, e]) => m.start < e && s < m.end);
    for (const weak of scan.weak) {
      if (overlaps(weak)) continue;
      const ids = weak.ids.filter(inContext);
      if (ids.length === 0) continue;
      mentions.push({ ...weak, ids });
      taken.push([weak.start, weak.end]);
    }

    // "desa X" with a misspelt X: retry against the villages of the districts/regencies in context.
    for (const pending of scan.pending) {
      const mention = this.fuzzyVillage(scan.tokens, pending, context);
      if (mention && !overlaps(mention)) {
        mentions.push(mention);
        taken.push([mention.start, mention.end]);
      }
    }
    if (mentions.length === 0) return none;
    mentions.sort((a, b) => a.start - b.start);

    // Within one mention keep only the widest reading of nested places: "Jambi" names the province
    // and, inside it, Kota Jambi; "Purbalingga" names the regency and its capital district.
    const kept: Mention[] = [];
    const keptSets: Set<number>[] = [];
    for (const mention of mentions) {
      const own = new Set(mention.ids);
      const ids = mention.ids.filter((id) => {
        for (let p = store.parents[id]!; p >= 0; p = store.parents[p]!) if (own.has(p)) return false;
        return true;
      });
      const set = new Set(ids);
      // The same name twice adds no evidence.
      if (keptSets.some((k) => k.size === set.size && ids.every((id) => k.has(id)))) continue;
      keptSets.push(set);
      kept.push({ ...mention, ids, context: mention.start >= contextFrom });
    }

    // Evidence per reading, summed per kabupaten/kota (or province, for province readings): the
    // coherent reading is the area most mentions agree on.
    const upper = uppercaseShare(scan.text);
    const evidence = kept.map((m) => this.mentionEvidence(scan, m, upper));
    const areaOf = (id: number) => (store.levels[id] === PROVINCE ? id : store.ancestorAt(id, REGENCY));
    const score = (use: (m: Mention) => boolean, within?: ReadonlySet<number>) => {
      const totals = new Map<number, number>();
      kept.forEach((m, k) => {
        if (!use(m)) return;
        const best = new Map<number, number>();
        for (const id of m.ids) {
          const area = areaOf(id);
          if (area < 0 || (within && !within.has(area) && !within.has(store.ancestorAt(area, PROVINCE))))
            continue;
          const ev = evidence[k]!.get(id) ?? 0;
          best.set(area, Math.max(best.get(area) ?? 0, ev));
        }
        for (const [area, ev] of best) totals.set(area, (totals.get(area) ?? 0) + ev);
      });
      return totals;
    };
    const primary = (m: Mention) => !m.context;
    // Typo-tolerant readings count only when no exact reading stands on its own, and context
    // mentions only inside an area the text itself names.
    let totals = score((m) => primary(m) && !m.fuzzy);
    const exactBest = Math.max(0, ...totals.values());
    if (exactBest < STANDALONE_EVIDENCE) totals = score(primary);
    else {
      const fuzzyAgreeing = score((m) => primary(m) && m.fuzzy, new Set(totals.keys()));
      for (const [area, ev] of fuzzyAgreeing) totals.set(area, (totals.get(area) ?? 0) + ev);
    }
    if (totals.size === 0) return none;
    if (kept.some((m) => m.context)) {
      const refine = score((m) => Boolean(m.context), new Set(totals.keys()));
      for (const [area, ev] of refine) totals.set(area, (totals.get(area) ?? 0) + CONTEXT_WEIGHT * ev);
    }
    // A province mention supports every kabupaten/kota of it that the text also names, and gives
    // way to them: "Kemangkon, Jawa Tengah" is Kemangkon.
    const regencies = [...totals.keys()].filter((a) => store.levels[a] === REGENCY);
    for (const area of [...totals.keys()]) {
      if (store.levels[area] !== PROVINCE) continue;
      const inside = regencies.filter(
        (r) => store.parents[r] === area && (totals.get(r) ?? 0) >= MIN_EVIDENCE,
      );
      if (inside.length === 0) continue;
      for (const r of inside) totals.set(r, totals.get(r)! + PROVINCE_AGREEMENT * totals.get(area)!);
      totals.delete(area);
    }
    const ranked = [...totals.entries()]
      .filter(([, ev]) => ev >= MIN_EVIDENCE)
      .sort((a, b) => b[1] - a[1] || store.levels[a[0]]! - store.levels[b[0]]! || a[0] - b[0]);
    if (ranked.length === 0) return none;
    const [winner, s1] = ranked[0]!;
    const tied = ranked.filter(([, ev]) => ev >= s1 - TIE_MARGIN);
    // When another mention backs the winner and not the runner-up, the margin counts only the
    // runner-up's own evidence: a mention that names both ("Semarang" in "Mijen, Semarang" is the
    // kota and the kabupaten) cannot tell them apart; "Mijen" does. A single name with two
    // readings ("Karanganyar": a kabupaten, and a kecamatan elsewhere) keeps the full margin.
    let s2 = ranked[1]?.[1] ?? 0;
    if (ranked.length > 1 && tied.length === 1) {
      const supports = (m: Mention, area: number) =>
        m.ids.some((id) => store.contains(area, id) || store.contains(id, area));
      const useFuzzy = exactBest < STANDALONE_EVIDENCE;
      const counted = (m: Mention) => primary(m) && (useFuzzy || !m.fuzzy);
      s2 = 0;
      for (const [area, ev] of ranked.slice(1)) {
        const winnerOwn = kept.some((m) => counted(m) && supports(m, winner) && !supports(m, area));
        const rival = winnerOwn
          ? Math.min(ev, score((m) => counted(m) && !supports(m, winner), new Set([area])).get(area) ?? 0)
          : ev;
        s2 = Math.max(s2, rival);
      }
    }
    const confidence = Math.min(1, s1) * Math.min(1, (s1 - s2) / CLEAR_MARGIN);
    const kota = tied.length === 2 ? this.kotaOfSharedName(tied[0]![0], tied[1]![0]) : -1;
    if (kota >= 0) {
      // Still ambiguous (the dialog asks, offering the kota first), but a caller that cannot ask
      // may take the kota.
      const other = tied[0]![0] === kota ? tied[1]![0] : tied[0]![0];
      const ids = [this.specificIn(kept, kota), ...this.readingsIn(kept, other)].slice(0, cap);
      const used = kept.filter((m) =>
        m.ids.some((id) => [kota, other].some((a) => store.contains(a, id) || store.contains(id, a))),
      );
      return {
        ids,
        used,
        confidence: 0,
        ambiguous: true,
        likely: { id: ids[0]!, confidence: Math.min(1, s1) * SHARED_NAME_KOTA },
      };
    }
    const areas = tied.length > 1 ? tied.map(([a]) => a) : [ranked[0]![0]];
    const ids =
      tied.length > 1
        ? unique(areas.flatMap((area) => this.readingsIn(kept, area))).slice(0, cap)
        : [this.specificIn(kept, areas[0]!)];
    const used = kept.filter((m) =>
      m.ids.some((id) => areas.some((a) => store.contains(a, id) || store.contains(id, a))),
    );
    return { ids, used, confidence: tied.length > 1 ? 0 : confidence, ambiguous: tied.length > 1 };
  }

  /**
   * When two tied readings are a kota and the kabupaten of the same name in one province
   * ("Kota Semarang" and "Kabupaten Semarang"), the kota: in everyday Indonesian the bare name of
   * a city means the city, and the regency that shares it is usually written with "kabupaten".
   * -1 for any other pair.
   */
  private kotaOfSharedName(a: number, b: number): number {
    const { store } = this;
    if (store.levels[a] !== REGENCY || store.levels[b] !== REGENCY) return -1;
    if (store.parents[a] !== store.parents[b]) return -1;
    const kinds = [store.regencyKind[a], store.regencyKind[b]];
    if (!kinds.includes(KOTA) || !kinds.includes(KABUPATEN)) return -1;
    const bare = (id: number) =>
      normalizeName(store.name(id)).replace(/^(kabupaten|kota)( administrasi)? /, '');
    if (bare(a) !== bare(b)) return -1;
    return store.regencyKind[a] === KOTA ? a : b;
  }

  /**
   * The most specific place inside `area` the mentions agree on: a village inside the one
   * district named, that district, or the area itself when the mentions name several districts.
   */
  private specificIn(mentions: readonly Mention[], area: number): number {
    const { store } = this;
    if (store.levels[area] === PROVINCE) return area;
    const districts = new Set<number>();
    const villages = new Set<number>();
    for (const m of mentions) {
      for (const id of m.ids) {
        if (!store.contains(area, id)) continue;
        const level = store.levels[id];
        if (level === DISTRICT) districts.add(id);
        if (level === VILLAGE) {
          villages.add(id);
          districts.add(store.parents[id]!);
        }
      }
    }
    if (districts.size !== 1) return area;
    const district = [...districts][0]!;
    const inside = [...villages].filter((v) => store.parents[v] === district);
    return inside.length === 1 ? inside[0]! : district;
  }

  /** The readings of the mentions inside `area`, or the area itself when a mention names it. */
  private readingsIn(mentions: readonly Mention[], area: number): number[] {
    const out: number[] = [];
    for (const m of mentions) for (const id of m.ids) if (this.store.contains(area, id)) out.push(id);
    return out.includes(area) || out.length === 0 ? [area] : out;
  }

  /**
   * Evidence that a mention names a place, per reading (0..1): an administrative prefix or an
   * alias stands on its own; a bare name is weighed by its level, whether it is an everyday
   * word, and the cues around it (a locative word before it, capitalisation in mixed-case text,
   * several words, a name no other place shares), and diluted by villages elsewhere that share
   * it. A typo-tolerant reading counts for less.
   */
  private mentionEvidence(scan: ScanResult, m: Mention, upper: number): Map<number, number> {
    const { store, tokens } = { store: this.store, tokens: scan.tokens };
    const out = new Map<number, number>();
    const words = tokens.slice(m.start, m.end).map((t) => t.norm);
    const nameWords = m.prefixed ? words.slice(1) : words;
    const everyday = nameWords.length > 0 && nameWords.every((w) => this.everyday.has(w) || isCommon(w));
    const before = tokens[m.start - 1];
    const cue = before !== undefined && LOCATIVE_CUES.has(before.norm);
    const first = tokens[m.start]!;
    const raw = scan.text.slice(first.start, first.end);
    // "operator SIAK": a word in capitals inside a mixed-case text is an acronym more often than
    // a place.
    const acronym = upper < 0.5 && raw.length > 1 && raw === raw.toUpperCase() && /[A-Z]/.test(raw);
    const capitalised = upper < 0.5 && !acronym && isCapitalised(scan.text, first);
    // A landmark phrase runs from its cue to the end of the clause: in "sampai perbatasan dengan
    // wilayah kecamatan X Y", Y is as much the landmark as X.
    let boundary = false;
    for (let k = m.start - 1; k >= Math.max(0, m.start - BOUNDARY_REACH); k--) {
      const between = scan.text.slice(tokens[k]!.end, tokens[k + 1]!.start);
      if (/[,;:!?\n]/.test(between) || (between.includes('.') && !PREFIX_BY_HEAD.has(tokens[k]!.norm))) break;
      if (BOUNDARY_CUES.has(tokens[k]!.norm)) {
        boundary = true;
        break;
      }
    }
    const key = nameWords.join(' ');
    const sameName = this.names.get(key);
    const unique = typeof sameName === 'number';
    for (const id of m.ids) {
      const level = store.levels[id]!;
      let ev: number;
      if (m.prefixed || m.aliasIds?.has(id) || level === PROVINCE) {
        ev = level === VILLAGE && !m.prefixed ? BARE_VILLAGE : 1;
      } else {
        ev = level === REGENCY ? BARE_REGENCY : level === DISTRICT ? BARE_DISTRICT : BARE_VILLAGE;
        if (everyday) ev *= EVERYDAY_FACTOR;
        if (cue) ev += CUE_BONUS;
        if (capitalised) ev += CAPITAL_BONUS;
        if (nameWords.length > 1 && !everyday) ev += MULTIWORD_BONUS;
        // A name no other place has is telling, once something else says it is a name at all.
        if (unique && !everyday && (cue || capitalised)) ev += UNIQUE_BONUS;
        if (acronym) ev *= ACRONYM_FACTOR;
        if (level === DISTRICT && sameName !== undefined && typeof sameName !== 'number') {
          const home = store.ancestorAt(id, REGENCY);
          let elsewhere = 0;
          for (const other of sameName) {
            if (store.levels[other] === VILLAGE && store.ancestorAt(other, REGENCY) !== home) elsewhere++;
          }
          ev /= 1 + VILLAGE_DILUTION * Math.min(elsewhere, 4);
        }
      }
      // A typo-tolerant reading needs a prefix, a locative cue or a capital: "masang" is a word.
      if (m.fuzzy) ev *= m.prefixed || cue || capitalised || nameWords.length > 1 ? FUZZY_FACTOR : 0;
      if (boundary) ev *= BOUNDARY_FACTOR;
      out.set(id, Math.min(1, ev));
    }
    return out;
  }

  private fuzzyVillage(
    tokens: readonly Token[],
    pending: PendingVillage,
    context: ReadonlySet<number>,
  ): Mention | null {
    const { store } = this;
    // Villages under every district/regency mentioned elsewhere in the text.
    const ranges: Array<[number, number]> = [];
    for (const id of context) {
      const level = store.levels[id];
      if (level === DISTRICT) ranges.push([store.childStart[id]!, store.childEnd[id]!]);
      else if (level === REGENCY && store.childStart[id]! >= 0) {
        const firstDistrict = store.childStart[id]!;
        const lastDistrict = store.childEnd[id]! - 1;
        ranges.push([store.childStart[firstDistrict]!, store.childEnd[lastDistrict]!]);
      }
    }
    if (ranges.length === 0) return null;
    const maxN = Math.min(MAX_FUZZY_NGRAM, tokens.length - pending.nameStart);
    for (let n = maxN; n >= 1; n--) {
      const gram = tokens.slice(pending.nameStart, pending.nameStart + n).map((t) => t.norm);
      if (gram.some((w) => FUNCTION_WORDS.has(w) || PREFIX_BY_HEAD.has(w))) continue;
      const compact = gram.join('');
      if (compact.length < MIN_FUZZY_LENGTH) continue;
      const ids: number[] = [];
      for (const [from, to] of ranges) {
        for (let id = Math.max(from, 0); id < to; id++) {
          if (withinOneEdit(compactName(normalizeName(store.name(id))), compact)) ids.push(id);
        }
      }
      if (ids.length > 0)
        return {
          ids: unique(ids),
          start: pending.start,
          end: pending.nameStart + n,
          fuzzy: true,
          prefixed: true,
        };
    }
    return null;
  }

  /** Orders ids for display: provinces before regencies before districts before villages. */
  private sortByProminence(ids: number[]): number[] {
    return unique(ids).sort((a, b) => this.store.levels[a]! - this.store.levels[b]! || a - b);
  }

  private toResult(text: string, tokens: readonly Token[], resolution: Resolution): LocationResolution {
    if (resolution.ids.length === 0) return { best: null, candidates: [], ambiguous: false, confidence: 0 };
    const matchedText = resolution.used
      .map((m) => text.slice(tokens[m.start]!.start, tokens[m.end - 1]!.end))
      .join(', ');
    const candidates = resolution.ids.map((id) => this.store.place(id));
    const confidence = Math.round(resolution.confidence * 1000) / 1000;
    if (candidates.length === 1 && !resolution.ambiguous)
      return { best: candidates[0]!, candidates, ambiguous: false, matchedText, confidence };
    const out: LocationResolution = { best: null, candidates, ambiguous: true, matchedText, confidence: 0 };
    if (resolution.likely) {
      out.likely = {
        place: this.store.place(resolution.likely.id),
        confidence: Math.round(resolution.likely.confidence * 1000) / 1000,
      };
    }
    return out;
  }
}

function unique(ids: number[]): number[] {
  return ids.length < 2 ? ids : [...new Set(ids)];
}

/**
 * Builds a gazetteer from raw area rows. Use `loadGazetteer` for the full national data; this
 * entry point exists so tests can work with a handful of rows. Parents are derived from the
 * dotted codes, so the `*_code` columns are optional.
 */
export function createGazetteer(data: GazetteerData, options: GazetteerOptions = {}): Gazetteer {
  return new IndexedGazetteer(data, options);
}
