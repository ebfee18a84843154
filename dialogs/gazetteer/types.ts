/** Public types of the gazetteer: Indonesian administrative areas and how text resolves to them. */

/** Administrative level, from the widest (province) to the narrowest (desa/kelurahan). */
export type PlaceLevel = 'province' | 'regency' | 'district' | 'village';

/** One administrative area as published by Kemendagri (via the idn-area-data package). */
export interface Place {
  /** Kemendagri code: '33', '33.03', '33.03.05', '33.03.05.2001'. */
  code: string;
  /** Name as in the data: 'Kabupaten Purbalingga', 'Kemangkon'. */
  name: string;
  level: PlaceLevel;
  /** Full human label, narrowest first: 'Kec. Kemangkon, Kab. Purbalingga, Jawa Tengah'. */
  label: string;
  provinceCode: string;
  regencyCode?: string;
  districtCode?: string;
}

/** What a piece of free text says about where something happened. */
export interface LocationResolution {
  /** Most specific place the text supports; null when nothing was found or the text is ambiguous. */
  best: Place | null;
  /**
   * When ambiguous: up to 5 alternatives for the citizen to pick, most likely first.
   * Otherwise `[best]`, or `[]` when nothing was found.
   */
  candidates: Place[];
  ambiguous: boolean;
  /** The span(s) of the input that named the place, joined with ", " when there are several. */
  matchedText?: string;
  /**
   * How sure the reading is, 0..1: the evidence for the winning kabupaten/kota (administrative
   * prefix, locative cue, capitalisation, multi-word or unique name, agreement between
   * mentions) times its margin over the next reading. 0 when nothing was found. Callers file
   * silently only above {@link PLACE_CONFIDENT}; below it they ask the citizen.
   */
  confidence: number;
  /**
   * Set only on an ambiguous result whose readings are a kota and the kabupaten of the same name
   * ("Semarang"): the kota, which is what the bare name means in everyday use, first among
   * `candidates`. A dialog still asks; a batch caller that cannot ask may take it when its
   * confidence is at least PLACE_CONFIDENT.
   */
  likely?: { place: Place; confidence: number };
}

/** Options of `find`. */
export interface FindOptions {
  /**
   * Earlier text about the same report (the complaint, when `text` answers "where?"). Its
   * mentions only refine a place the text itself names ("Kabupaten Purbalingga" plus a
   * "Bojongsari" in the complaint gives Kec. Bojongsari, Purbalingga); alone they count for
   * nothing.
   */
  context?: string;
}

/** Lookup service over all provinces, regencies, districts and villages. */
export interface Gazetteer {
  /** Finds the place a free-text message talks about. Conservative: prefers null to a wrong guess. */
  find(text: string, options?: FindOptions): LocationResolution;
  /** The place with this exact Kemendagri code. */
  get(code: string): Place | undefined;
  /** The kabupaten/kota containing (or being) this code; undefined for provinces and unknown codes. */
  regencyOf(code: string): Place | undefined;
  /** The province containing (or being) this code. */
  provinceOf(code: string): Place | undefined;
  /**
   * Places matching a short answer to "where?" ("kemangkon", "desa sukamaju garut"). More permissive
   * than `find`: common-word names, villages without context, small typos and name prefixes are
   * accepted. Best matches first; `limit` defaults to 10.
   */
  search(query: string, limit?: number): Place[];
}

/** A province row as in provinces.csv. */
export interface ProvinceRow {
  code: string;
  name: string;
}

/** A regency (kabupaten/kota) row as in regencies.csv. The parent is derived from the code. */
export interface RegencyRow {
  code: string;
  name: string;
  province_code?: string;
}

/** A district (kecamatan) row as in districts.csv. */
export interface DistrictRow {
  code: string;
  name: string;
  regency_code?: string;
}

/** A village (desa/kelurahan) row as in villages.csv. */
export interface VillageRow {
  code: string;
  name: string;
  district_code?: string;
}

/** The codes and names of one level as parallel columns (what the loader reads: no object per row). */
export interface AreaColumns {
  code: readonly string[];
  name: readonly string[];
}

/** Raw area rows, e.g. parsed from the idn-area-data CSV files or written inline in a test. */
export interface GazetteerData {
  provinces: readonly ProvinceRow[] | AreaColumns;
  regencies: readonly RegencyRow[] | AreaColumns;
  districts: readonly DistrictRow[] | AreaColumns;
  villages: readonly VillageRow[] | AreaColumns;
}

/** Optional tuning for `createGazetteer`. */
export interface GazetteerOptions {
  /**
   * Indonesian root words. A token that is a dictionary word (or one with a common affix) is never
   * typo-corrected into a place name, which stops "pelayanan" from becoming some "Pelayangan".
   */
  dictionary?: Iterable<string>;
  /**
   * Everyday words (a word-frequency list of informal Indonesian). A place name that is one
   * ("bener", "guna", "malang") counts as a place only with more evidence than the bare word: a
   * prefix, a locative cue, capitalisation, or another mention that agrees.
   */
  everydayWords?: Iterable<string>;
}
