/**
 * Gazetteer of Indonesian administrative areas (province, kabupaten/kota, kecamatan, desa/kelurahan)
 * with recognition of place mentions in informal complaint text.
 *
 * ```ts
 * const gazetteer = await loadGazetteer();
 * gazetteer.find('jalan berlubang di Kec. Kemangkon, Purbalingga').best?.label;
 * // 'Kec. Kemangkon, Kab. Purbalingga, Jawa Tengah'
 * ```
 */
export { forEachCsvRow, parseCsv, readAreaColumns } from './csv.ts';
export { createGazetteer, PLACE_CONFIDENT } from './gazetteer.ts';
export { loadGazetteer } from './load.ts';
export type {
  AreaColumns,
  DistrictRow,
  FindOptions,
  Gazetteer,
  GazetteerData,
  GazetteerOptions,
  LocationResolution,
  Place,
  PlaceLevel,
  ProvinceRow,
  RegencyRow,
  VillageRow,
} from './types.ts';
