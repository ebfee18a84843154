import type { AgencyKind, AgencyLevel } from '../directory/types.ts';

/**
 * Where a rule sends a report. A regional target (unit, bumd) without a usable region waits
 * in the admin queue with `placeNeeded`; `national` names another body to take such reports
 * instead (an operator's choice; the shipped rules set none).
 */
export type RuleTarget =
  /** A fixed (national) body, e.g. 'KL-IMIGRASI', 'BUMN-PLN'. */
  | { agency: string }
  /** A Pemda unit of the report's region at the given level. */
  | { unit: string; level: 'regency' | 'province'; national?: string }
  /** The regency's regional company (PDAM). */
  | { bumd: 'PDAM'; national?: string };

/**
 * One competence rule. Rules are tried in order and the first whose conditions all hold wins.
 * `keywords` hold when any of them occurs as a whole word or phrase in the normalised text.
 * `reason` texts may use {agency}, {region} and {category} placeholders.
 */
export interface RoutingRule {
  id: string;
  /**
   * All given conditions must hold: the report's category is one of `categories`; the text
   * has one of `keywords`; and it also has one of `alsoKeywords` (a second, independent cue,
   * e.g. that the citizen addresses the regional government).
   */
  when: { categories?: string[]; keywords?: string[]; alsoKeywords?: string[] };
  target: RuleTarget;
  reason: { id: string; en: string };
}

/** What the router needs to know about a report. */
export interface RouteInput {
  /** Category id (see dialogs/categories.ts); unknown ids are tolerated. */
  category: string;
  /** Kemendagri code of province, regency, district or village; dotted ('33.03.05') or not ('330305'). */
  regionCode: string | null;
  /** The citizen's description. */
  text: string;
}

/** Where a report goes, and why. */
export interface RouteDecision {
  agencyCode: string;
  /** Filled, human-readable reason in Bahasa Indonesia and English. */
  reason: { id: string; en: string };
  /** The deciding rule id; 'named-agency' for a named body in the text; null for the admin fallback. */
  ruleId: string | null;
  /**
   * Short machine-readable notes, e.g. 'named:BPJS-KES', 'region:33.03', 'level-up:province',
   * 'level-up:regency', 'place-needed', 'fallback:national', 'fallback:admin', 'named-ignored:BUMN-PLN',
   * 'region-unknown:99.99', 'category-unknown:xyz', 'named-region:33.74'.
   */
  signals: string[];
  /**
   * The kind and level of body competent for the report, also when the report cannot be
   * placed with one yet (a local matter without a region goes to the admin queue, but the
   * competent body is still the Pemda of the place).
   */
  competent: { kind: AgencyKind; level: AgencyLevel };
  /**
   * True when the competent body is regional but the report has no region: it waits in the
   * admin queue (`agencyCode` is the admin queue) until its place is known.
   */
  placeNeeded?: true;
}

/** A compiled router. */
export interface Router {
  /** Decides the agency for a report. Never throws; falls back to the admin queue. */
  route(input: RouteInput): RouteDecision;
}
