/**
 * Agency directory: the pure list of bodies reports are routed to (K/L, Pemda and their
 * units, BPJS, BUMN, BUMD, the national admin queue). Seeding it into the database is done
 * elsewhere; routing reads it through `createRouter({ agencies })`.
 */
export {
  ADMIN_CODE,
  BUMD_PDAM,
  buildAgencyDirectory,
  bumdCode,
  bumdKeyOf,
  PEMDA_NAME_PREFIX,
  pemdaCode,
} from './build.ts';
export { normaliseText } from './normalise.ts';
export { provinceAliases, provinceDisplayName, regencyAliases, splitRegencyName } from './regions.ts';
export type { AgencyKind, AgencyLevel, AgencyRecord } from './types.ts';
export { PEMDA_UNITS, type PemdaUnitDef } from './units.ts';
