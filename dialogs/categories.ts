/**
 * The category taxonomy, modelled on the topic list citizens see in SP4N-LAPOR!.
 * Ids are stable identifiers stored on reports and used in routing rules; labels are shown
 * to citizens in their language.
 */
export const CATEGORY_IDS = [
  'pekerjaan_umum',
  'kependudukan',
  'kesehatan',
  'jaminan_sosial',
  'pendidikan',
  'sosial',
  'ketenagakerjaan',
  'perhubungan',
  'lingkungan_hidup',
  'ketertiban_umum',
  'energi_listrik',
  'air_bersih',
  'ekonomi_keuangan',
  'perlindungan_konsumen',
  'tik',
  'agama',
  'pertanian',
  'hukum_kepolisian',
  'pemerintahan',
  'lainnya',
] as const;

export type CategoryId = (typeof CATEGORY_IDS)[number];

/** Categories the classifier learns. "lainnya" is a catch-all the citizen picks, never a guess. */
export const CLASSIFIABLE_CATEGORIES = CATEGORY_IDS.filter((c) => c !== 'lainnya');

export const CATEGORY_LABELS: Record<CategoryId, { id: string; en: string }> = {
  pekerjaan_umum: { id: 'Pekerjaan Umum dan Penataan Ruang', en: 'Public Works and Spatial Planning' },
  kependudukan: { id: 'Kependudukan dan Catatan Sipil', en: 'Civil Registration (KTP, KK, certificates)' },
  kesehatan: { id: 'Kesehatan', en: 'Health' },
  jaminan_sosial: { id: 'Jaminan Sosial (BPJS)', en: 'Social Security (BPJS)' },
  pendidikan: { id: 'Pendidikan', en: 'Education' },
  sosial: { id: 'Sosial dan Bantuan Sosial', en: 'Social Affairs and Welfare Aid' },
  ketenagakerjaan: { id: 'Ketenagakerjaan', en: 'Labour' },
  perhubungan: { id: 'Perhubungan', en: 'Transport' },
  lingkungan_hidup: { id: 'Lingkungan Hidup dan Kebersihan', en: 'Environment and Waste' },
  ketertiban_umum: { id: 'Ketentraman dan Ketertiban Umum', en: 'Public Order' },
  energi_listrik: { id: 'Energi dan Listrik', en: 'Energy and Electricity' },
  air_bersih: { id: 'Air Bersih', en: 'Clean Water' },
  ekonomi_keuangan: { id: 'Ekonomi, Keuangan dan Pajak', en: 'Economy, Finance and Tax' },
  perlindungan_konsumen: { id: 'Perlindungan Konsumen', en: 'Consumer Protection' },
  tik: { id: 'Komunikasi dan Informatika', en: 'Communications and IT' },
  agama: { id: 'Agama', en: 'Religious Affairs' },
  pertanian: { id: 'Pertanian dan Peternakan', en: 'Agriculture and Livestock' },
  hukum_kepolisian: { id: 'Hukum dan Kepolisian', en: 'Law and Police' },
  pemerintahan: {
    id: 'Pemerintahan, Aparatur dan Desa',
    en: 'Government, Civil Servants and Villages',
  },
  lainnya: { id: 'Lainnya', en: 'Other' },
};

export function isCategoryId(value: string): value is CategoryId {
  return (CATEGORY_IDS as readonly string[]).includes(value);
}
