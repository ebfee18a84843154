import type { CategoryId } from '../../dialogs/categories.ts';

/** A standard organisational unit (dinas/badan) every Pemda of the given levels is assumed to have. */
export interface PemdaUnitDef {
  /** Unit key, used in codes: 'PEMDA-33.03-DISDUKCAPIL'. */
  unit: string;
  /** Generic name; the region name is appended ('Dinas Kesehatan Kabupaten Purbalingga'). */
  name: string;
  /** Levels at which Pemda have this unit. */
  levels: ('province' | 'regency')[];
  /** Categories the unit is competent for, primary first. */
  categories: CategoryId[];
  /** Words citizens use for the unit, at every level (normalised form). */
  aliases: string[];
  /** Extra words that only name the provincial unit (e.g. 'samsat' for the provincial Bapenda). */
  provinceAliases?: string[];
}

/**
 * The standard unit set. Real Pemda merge or rename dinas (e.g. 'Dinas Pendidikan dan
 * Kebudayaan', 'Dinas Pertanian dan Ketahanan Pangan'); the generic names are a starting
 * point operators can correct in the database. Order here is the order in the directory.
 */
export const PEMDA_UNITS: readonly PemdaUnitDef[] = [
  {
    unit: 'DISDUKCAPIL',
    name: 'Dinas Kependudukan dan Pencatatan Sipil',
    levels: ['province', 'regency'],
    categories: ['kependudukan'],
    aliases: ['disdukcapil', 'dukcapil', 'capil', 'dispendukcapil', 'dinas dukcapil', 'dinas kependudukan'],
  },
  {
    unit: 'DPUPR',
    name: 'Dinas Pekerjaan Umum dan Penataan Ruang',
    levels: ['province', 'regency'],
    categories: ['pekerjaan_umum'],
    aliases: ['dpupr', 'dinas pupr', 'dinas pu', 'dpu', 'dinas pekerjaan umum', 'dinas bina marga', 'dpu pr'],
  },
  {
    unit: 'DINKES',
    name: 'Dinas Kesehatan',
    levels: ['province', 'regency'],
    categories: ['kesehatan'],
    aliases: ['dinkes', 'dinas kesehatan'],
  },
  {
    unit: 'DISDIK',
    name: 'Dinas Pendidikan',
    levels: ['province', 'regency'],
    categories: ['pendidikan'],
    aliases: [
      'disdik',
      'dindik',
      'diknas',
      'disdikbud',
      'dinas pendidikan',
      'dinas pendidikan dan kebudayaan',
    ],
  },
  {
    unit: 'DINSOS',
    name: 'Dinas Sosial',
    levels: ['province', 'regency'],
    categories: ['sosial'],
    aliases: ['dinsos', 'dinas sosial'],
  },
  {
    unit: 'DISNAKER',
    name: 'Dinas Tenaga Kerja',
    levels: ['province', 'regency'],
    categories: ['ketenagakerjaan'],
    aliases: ['disnaker', 'disnakertrans', 'dinas tenaga kerja', 'dinas ketenagakerjaan', 'dinas naker'],
  },
  {
    unit: 'DISHUB',
    name: 'Dinas Perhubungan',
    levels: ['province', 'regency'],
    categories: ['perhubungan'],
    aliases: ['dishub', 'dinas perhubungan'],
  },
  {
    unit: 'DLH',
    name: 'Dinas Lingkungan Hidup',
    levels: ['province', 'regency'],
    categories: ['lingkungan_hidup'],
    aliases: ['dlh', 'dinas lh', 'dinas lingkungan hidup', 'dlhk'],
  },
  {
    unit: 'SATPOLPP',
    name: 'Satuan Polisi Pamong Praja',
    levels: ['province', 'regency'],
    categories: ['ketertiban_umum'],
    aliases: ['satpol pp', 'satpolpp', 'pol pp', 'polisi pamong praja'],
  },
  {
    unit: 'DISTAN',
    name: 'Dinas Pertanian',
    levels: ['province', 'regency'],
    categories: ['pertanian'],
    aliases: ['distan', 'dispertan', 'dinas pertanian'],
  },
  {
    unit: 'DISKOMINFO',
    name: 'Dinas Komunikasi dan Informatika',
    levels: ['province', 'regency'],
    categories: ['tik'],
    aliases: ['diskominfo', 'dinkominfo', 'dinas kominfo', 'dinas komunikasi dan informatika'],
  },
  {
    unit: 'DISPERINDAG',
    name: 'Dinas Perindustrian dan Perdagangan',
    levels: ['province', 'regency'],
    categories: ['perlindungan_konsumen', 'ekonomi_keuangan'],
    aliases: ['disperindag', 'dinas perdagangan', 'disdag', 'dinas perindustrian dan perdagangan'],
  },
  {
    unit: 'BAPENDA',
    name: 'Badan Pendapatan Daerah',
    levels: ['province', 'regency'],
    categories: ['ekonomi_keuangan'],
    aliases: ['bapenda', 'dispenda', 'badan pendapatan daerah'],
    provinceAliases: ['samsat', 'kantor samsat', 'samsat keliling'],
  },
  {
    unit: 'KESBANGPOL',
    name: 'Badan Kesatuan Bangsa dan Politik',
    levels: ['province', 'regency'],
    categories: ['ketertiban_umum'],
    aliases: ['kesbangpol', 'bakesbangpol', 'badan kesbangpol'],
  },
  {
    unit: 'ESDM',
    name: 'Dinas Energi dan Sumber Daya Mineral',
    levels: ['province'],
    categories: ['energi_listrik'],
    aliases: ['dinas esdm'],
  },
  {
    unit: 'SETDA',
    name: 'Sekretariat Daerah (Bagian Pemerintahan)',
    levels: ['province', 'regency'],
    categories: ['pemerintahan'],
    aliases: ['sekretariat daerah', 'setda', 'bagian pemerintahan', 'sekda'],
  },
  {
    unit: 'INSPEKTORAT',
    name: 'Inspektorat Daerah',
    levels: ['province', 'regency'],
    categories: ['pemerintahan'],
    aliases: ['inspektorat', 'inspektorat daerah', 'itda', 'saber pungli'],
  },
  {
    unit: 'BKPSDM',
    name: 'Badan Kepegawaian dan Pengembangan Sumber Daya Manusia',
    levels: ['province', 'regency'],
    categories: ['pemerintahan'],
    aliases: ['bkpsdm', 'bkd', 'bkpp', 'badan kepegawaian daerah', 'bkpsdmd'],
  },
  {
    unit: 'DPMD',
    name: 'Dinas Pemberdayaan Masyarakat dan Desa',
    levels: ['province', 'regency'],
    categories: ['pemerintahan'],
    aliases: ['dpmd', 'dispermades', 'dinpermades', 'dinas pmd', 'dinas pemberdayaan masyarakat dan desa'],
  },
  {
    unit: 'DPMPTSP',
    name: 'Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu',
    levels: ['province', 'regency'],
    categories: ['pemerintahan'],
    aliases: ['dpmptsp', 'dpmpptsp', 'ptsp', 'mpp', 'mal pelayanan publik', 'dinas perizinan'],
  },
];
