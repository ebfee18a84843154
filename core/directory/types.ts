/**
 * Shapes of the agency directory: every body a report can be routed to.
 */

/** What sort of body an agency is. */
export type AgencyKind = 'pemda' | 'kementerian_lembaga' | 'bpjs' | 'bumn' | 'bumd' | 'admin';

/** The administrative level an agency works at. */
export type AgencyLevel = 'national' | 'province' | 'regency';

/** One body reports can be routed to (a row of the agency table once seeded). */
export interface AgencyRecord {
  /** Stable code, e.g. 'ADMIN', 'KL-IMIGRASI', 'BPJS-KES', 'PEMDA-33.03', 'PEMDA-33.03-DISDUKCAPIL', 'BUMD-PDAM-33.03'. */
  code: string;
  /** Official-style name, e.g. 'Dinas Kependudukan dan Pencatatan Sipil Kabupaten Purbalingga'. */
  name: string;
  kind: AgencyKind;
  level: AgencyLevel;
  /** Kemendagri code of the province ('33') or regency ('33.03'); null for national bodies. */
  regionCode: string | null;
  /** A Pemda unit points to its Pemda, a BUMD to its owner Pemda, a Ditjen to its ministry. */
  parentCode: string | null;
  /** Unit key for Pemda units ('DISDUKCAPIL', 'DPUPR', ...); null otherwise. */
  unit: string | null;
  /** Category ids the body is competent for, primary competence first. */
  categories: string[];
  /**
   * Normalised (lowercase, punctuation stripped) names citizens write. For a Pemda itself
   * ('PEMDA-33.03') these are the names of its region ('kabupaten purbalingga', 'purbalingga',
   * 'pemkab purbalingga'); for units and BUMD they are the generic unit words ('dukcapil', 'pdam').
   */
  aliases: string[];
}
