import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AgencyRecord, buildAgencyDirectory } from '../../core/directory/index.ts';
import {
  createRouter,
  loadRoutingRules,
  type RouteDecision,
  type RouteInput,
  type Router,
  type RoutingRule,
  RoutingRuleError,
} from '../../core/routing/index.ts';

let agencies: AgencyRecord[];
let router: Router;

beforeAll(async () => {
  agencies = await buildAgencyDirectory();
  router = createRouter({ agencies });
});

const route = (category: string, regionCode: string | null, text: string): RouteDecision =>
  router.route({ category, regionCode, text });

/** Every placeholder is filled and both languages are present. */
function expectFilledReason(d: RouteDecision): void {
  expect(d.reason.id).not.toMatch(/[{}]/);
  expect(d.reason.en).not.toMatch(/[{}]/);
  expect(d.reason.id.length).toBeGreaterThan(10);
  expect(d.reason.en.length).toBeGreaterThan(10);
}

function tempFile(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'routing-rules-'));
  const path = join(dir, 'rules.json');
  writeFileSync(path, content);
  return path;
}

describe('Pemda units', () => {
  it('sends KTP/KK to the Disdukcapil of the regency', () => {
    const d = route('kependudukan', '33.03', 'KTP elektronik saya belum jadi sudah 3 bulan');
    expect(d.agencyCode).toBe('PEMDA-33.03-DISDUKCAPIL');
    expect(d.ruleId).toBe('kependudukan');
    expect(d.signals).toContain('region:33.03');
    expect(d.reason.id).toContain('Dinas Kependudukan dan Pencatatan Sipil Kabupaten Purbalingga');
    expect(d.reason.en).toContain('Kabupaten Purbalingga');
    expectFilledReason(d);
  });

  it('sends roads and drainage to the DPUPR of the regency', () => {
    expect(route('pekerjaan_umum', '33.74', 'Jalan berlubang dan drainase mampet').agencyCode).toBe(
      'PEMDA-33.74-DPUPR',
    );
  });

  it('sends health facilities to the Dinkes of the regency', () => {
    expect(route('kesehatan', '33.03', 'Puskesmas tutup sebelum jam pelayanan').agencyCode).toBe(
      'PEMDA-33.03-DINKES',
    );
  });

  it('splits schools by level: SD/SMP to the regency, SMA/SMK to the province', () => {
    expect(route('pendidikan', '33.03', 'Pungutan di SD Negeri 2').agencyCode).toBe('PEMDA-33.03-DISDIK');
    const sma = route('pendidikan', '33.03', 'Pungutan liar di SMA Negeri 1');
    expect(sma.agencyCode).toBe('PEMDA-33-DISDIK');
    expect(sma.ruleId).toBe('sma-smk');
    expect(sma.signals).toContain('region:33');
    expectFilledReason(sma);
  });

  it('sends regional taxes to Bapenda: PBB to the regency, vehicle tax to the province', () => {
    expect(route('ekonomi_keuangan', '33.03', 'Tagihan PBB rumah saya naik tiga kali').agencyCode).toBe(
      'PEMDA-33.03-BAPENDA',
    );
    expect(route('ekonomi_keuangan', '33.03', 'Pajak kendaraan motor saya dobel').agencyCode).toBe(
      'PEMDA-33-BAPENDA',
    );
  });
});

describe('national bodies', () => {
  it('sends passports to Imigrasi whatever the category', () => {
    for (const category of ['kependudukan', 'lainnya', 'hukum_kepolisian']) {
      const d = route(category, '33.03', 'Perpanjang paspor antre sampai sore');
      expect(d.agencyCode, category).toBe('KL-IMIGRASI');
      expect(d.ruleId).toBe('imigrasi');
    }
  });

  it('sends central taxes to DJP, land certificates to ATR/BPN, police matters to Polri, religion to Kemenag', () => {
    expect(route('ekonomi_keuangan', '33.03', 'Tidak bisa login Coretax untuk lapor SPT').agencyCode).toBe(
      'KL-DJP',
    );
    expect(route('lainnya', '33.03', 'Sertifikat tanah belum jadi 2 tahun').agencyCode).toBe('KL-ATR-BPN');
    expect(route('hukum_kepolisian', '33.03', 'Motor saya dicuri di parkiran').agencyCode).toBe('KL-POLRI');
    expect(route('agama', '33.03', 'Pendaftaran ibadah haji tidak jelas').agencyCode).toBe('KL-KEMENAG');
  });

  it('sends signal and hoax reports to Komdigi', () => {
    expect(route('tik', '33.03', 'Tidak ada sinyal di desa kami').agencyCode).toBe('KL-KOMDIGI');
    expect(route('tik', '33.03', 'Website kabupaten tidak bisa dibuka').agencyCode).toBe(
      'PEMDA-33.03-DISKOMINFO',
    );
  });
});

describe('BPJS', () => {
  it('sends JKN/KIS matters to BPJS Kesehatan', () => {
    const d = route('jaminan_sosial', '33.03', 'Kartu kesehatan saya tiba-tiba nonaktif');
    expect(d.agencyCode).toBe('BPJS-KES');
    expect(d.ruleId).toBe('bpjs-kesehatan');
  });

  it('sends JKN-only terms to BPJS Kesehatan whatever category the classifier chose', () => {
    // A short question the classifier may misread; the term itself says BPJS.
    const card = route('lingkungan_hidup', '33.03', 'kartu askes lama masih berlaku tidak?');
    expect(card.agencyCode).toBe('BPJS-KES');
    const facility = route('kesehatan', '33.03', 'bagaimana cara pindah faskes ke klinik dekat rumah');
    expect(facility.agencyCode).toBe('BPJS-KES');
    // A bare "BPJS" in a complaint about a doctor at the puskesmas stays with the Dinkes.
    const doctor = route('kesehatan', '33.03', 'dokter puskesmas membentak pasien BPJS di ruang tunggu');
    expect(doctor.agencyCode).toBe('PEMDA-33.03-DINKES');
  });

  it('reads a card found inactive when seeking care, or a change of registered clinic, as BPJS Kesehatan', () => {
    expect(route('kesehatan', '33.03', 'mau periksa ke klinik tapi kartu saya tidak aktif').agencyCode).toBe(
      'BPJS-KES',
    );
    expect(
      route('kesehatan', '33.03', 'bagaimana cara pindah tempat berobat ke dokter keluarga').agencyCode,
    ).toBe('BPJS-KES');
    // An inactive card with nothing about care is no health-insurance matter.
    expect(
      route('perlindungan_konsumen', '33.03', 'kartu saya tidak aktif setelah ganti ponsel').agencyCode,
    ).not.toBe('BPJS-KES');
  });

  it('sends JHT/BPU matters to BPJS Ketenagakerjaan', () => {
    const d = route('jaminan_sosial', '33.03', 'Klaim JHT saya ditolak terus');
    expect(d.agencyCode).toBe('BPJS-TK');
    expect(d.ruleId).toMatch(/^bpjs-ketenagakerjaan/);
  });
});

describe('BUMN and BUMD', () => {
  it('sends electricity to PLN, fuel at filling stations to Pertamina, subsidised LPG to ESDM', () => {
    expect(route('energi_listrik', '33.03', 'Listrik padam tiap malam').agencyCode).toBe('BUMN-PLN');
    expect(route('energi_listrik', '33.03', 'Gas 3 kg langka di pangkalan').agencyCode).toBe('KL-ESDM');
    expect(route('perlindungan_konsumen', '33.03', 'SPBU curang takaran BBM kurang').agencyCode).toBe(
      'BUMN-PERTAMINA',
    );
  });

  it('sends trains to KAI, IndiHome to Telkom and postal parcels to Pos', () => {
    expect(route('perhubungan', '31.74', 'KRL selalu terlambat pagi hari').agencyCode).toBe('BUMN-KAI');
    expect(route('tik', '33.03', 'Internet IndiHome mati seminggu').agencyCode).toBe('BUMN-TELKOM');
    expect(route('perlindungan_konsumen', '33.03', 'Paket pos saya tidak sampai').agencyCode).toBe(
      'BUMN-POS',
    );
  });

  it('sends international parcels (EMS, stuck in customs inspection) to Pos Indonesia', () => {
    const d = route(
      'perlindungan_konsumen',
      '33.03',
      'paket EMS dari Jepang sudah dua minggu statusnya customs inspection',
    );
    expect(d.agencyCode).toBe('BUMN-POS');
    // Import duty itself stays with Bea Cukai.
    expect(
      route('ekonomi_keuangan', '33.03', 'bea masuk sepatu yang saya beli terlalu mahal').agencyCode,
    ).toBe('KL-BEACUKAI');
  });

  it("sends clean water to the region's PDAM", () => {
    const d = route('air_bersih', '33.03', 'Air tidak mengalir tiga hari');
    expect(d.agencyCode).toBe('BUMD-PDAM-33.03');
    expect(d.reason.id).toContain('Perumda Air Minum Kabupaten Purbalingga');
    expectFilledReason(d);
  });

  it('matches keywords as whole words only', () => {
    // 'solar' (diesel) must not fire inside 'Solaria'.
    expect(route('perlindungan_konsumen', '33.03', 'Makanan di Solaria basi').agencyCode).toBe(
      'PEMDA-33.03-DISPERINDAG',
    );
  });
});

describe('named agencies', () => {
  it('honours a national body named in the text', () => {
    const d = route('jaminan_sosial', '33.03', 'Yth. BPJS Kesehatan, mohon bantuannya');
    expect(d.agencyCode).toBe('BPJS-KES');
    expect(d.ruleId).toBe('named-agency');
    expect(d.signals).toContain('named:BPJS-KES');
    expectFilledReason(d);
  });

  it('resolves a named Pemda unit in the region written next to it', () => {
    const d = route('kependudukan', '33.03', 'Pelayanan Dukcapil Kota Semarang lambat sekali');
    expect(d.agencyCode).toBe('PEMDA-33.74-DISDUKCAPIL');
    expect(d.signals).toEqual(
      expect.arrayContaining(['named:PEMDA-33.74-DISDUKCAPIL', 'named-region:33.74']),
    );
    expect(route('lainnya', null, 'Dinas Kesehatan Provinsi Jawa Tengah tidak merespons').agencyCode).toBe(
      'PEMDA-33-DINKES',
    );
  });

  it("uses the report's region for a named unit without a region", () => {
    expect(route('lainnya', '33.03', 'Petugas dukcapil minta uang').agencyCode).toBe(
      'PEMDA-33.03-DISDUKCAPIL',
    );
  });

  it('uses the report region to choose between a kabupaten and a kota of the same name', () => {
    expect(route('kependudukan', '33.22', 'Dukcapil Semarang lambat').agencyCode).toBe(
      'PEMDA-33.22-DISDUKCAPIL',
    );
    expect(route('kependudukan', '33.74', 'Dukcapil Semarang lambat').agencyCode).toBe(
      'PEMDA-33.74-DISDUKCAPIL',
    );
  });

  it('ignores a named body that is not competent for the category', () => {
    const d = route('kependudukan', '33.03', 'Sudah lapor ke polsek, tapi KTP pengganti belum dibuat');
    expect(d.agencyCode).toBe('PEMDA-33.03-DISDUKCAPIL');
    expect(d.ruleId).toBe('kependudukan');
    expect(d.signals).toContain('named-ignored:KL-POLRI');
  });

  it("takes a named body's own website or app complaint whatever its competence", () => {
    // Imigrasi is not competent for 'tik', but the complaint is about its own website.
    const d = route('tik', null, 'situs imigrasi untuk daftar antrean paspor tidak bisa dibuka sejak pagi');
    expect(d.agencyCode).toBe('KL-IMIGRASI');
    expect(d.ruleId).toBe('named-agency');
    // Without a named body a website complaint keeps the category rule.
    expect(route('tik', '33.03', 'website pemesanan antrean error terus').ruleId).toBe('tik');
  });

  it('recognises "kementrian" as the spelling of "kementerian" and old names of ministries', () => {
    expect(
      route('ketenagakerjaan', null, 'antrean di Kementrian Ketenagakerjaan lama sekali').agencyCode,
    ).toBe('KL-KEMNAKER');
    expect(route('pendidikan', null, 'laman ristekdikti untuk beasiswa tidak bisa login').agencyCode).toBe(
      'KL-KEMDIKTISAINTEK',
    );
  });

  it("reads a ministry's short name inside a regional office's name as that office", () => {
    const d = route(
      'lingkungan_hidup',
      '33.03',
      'Yth. Dinas Perindustrian dan ESDM, sumur warga kering sejak pabrik menyedot air tanah',
    );
    expect(d.signals).toContain('named-regional:KL-ESDM');
    expect(d.agencyCode).not.toBe('KL-ESDM');
    expect(d.competent.kind).toBe('pemda');
    // Named on its own, the ministry keeps the report.
    expect(route('energi_listrik', null, 'Yth. Kementerian ESDM, harga elpiji naik').agencyCode).toBe(
      'KL-ESDM',
    );
  });

  it('lets a civil-service complaint addressed to BKN go to BKN', () => {
    const d = route(
      'pemerintahan',
      null,
      'Yth. Badan Kepegawaian Negara, SK pangkat saya belum terbit, mohon bupati juga tahu',
    );
    expect(d.agencyCode).toBe('KL-BKN');
  });

  it('takes any named body when the category is "lainnya"', () => {
    expect(route('lainnya', '33.03', 'Petugas PLN minta uang rokok').agencyCode).toBe('BUMN-PLN');
  });
});

describe('social aid: distribution is local, recipient data national', () => {
  it('sends aid that did not arrive to the Dinsos of the regency, even with a KKS card named', () => {
    const d = route(
      'sosial',
      '33.03',
      'saya pegang KKS tapi beras bantuan BPNT bulan ini belum menerima bantuan',
    );
    expect(d.ruleId).toBe('penyaluran-bansos');
    expect(d.agencyCode).toBe('PEMDA-33.03-DINSOS');
    const noPlace = route('sosial', null, 'pembagian beras rastra di dusun kami tidak merata');
    expect(noPlace.placeNeeded).toBe(true);
    expect(noPlace.competent.kind).toBe('pemda');
  });

  it('keeps recipient data (DTKS, PKH membership) with Kemensos', () => {
    expect(route('sosial', '33.03', 'nama ibu saya hilang dari DTKS padahal masih miskin').agencyCode).toBe(
      'KL-KEMENSOS',
    );
  });
});

describe('electricity subsidy and traffic police', () => {
  it('sends who gets the electricity subsidy to ESDM and an outage to PLN', () => {
    expect(
      route('energi_listrik', '33.03', 'kenapa rumah kami dicabut subsidi listrik padahal miskin').agencyCode,
    ).toBe('KL-ESDM');
    expect(route('energi_listrik', '33.03', 'listrik padam tiga jam tiap sore').agencyCode).toBe('BUMN-PLN');
  });

  it('sends traffic-police duty to Polri', () => {
    expect(
      route('perhubungan', '33.03', 'mohon polisi lalu lintas berjaga di perempatan pasar pagi hari')
        .agencyCode,
    ).toBe('KL-POLRI');
  });
});

describe('complaints addressed to the regional government', () => {
  it('sends a police-category matter addressed to the bupati to the Satpol PP, not to Polri', () => {
    const d = route(
      'hukum_kepolisian',
      '33.03',
      'Pak Bupati, tolong tertibkan warung remang-remang yang buka sampai pagi',
    );
    expect(d.ruleId).toBe('ketertiban-pemda-disapa');
    expect(d.agencyCode).toBe('PEMDA-33.03-SATPOLPP');
    // Not addressed to the Pemda: Polri as before.
    expect(route('hukum_kepolisian', '33.03', 'motor saya dicuri di parkiran').agencyCode).toBe('KL-POLRI');
    // A crime stays with Polri even when the bupati is addressed and the topic read as public order.
    expect(
      route('ketertiban_umum', '33.03', 'Pak Bupati, tiap malam ada balap liar di jalan lingkar').agencyCode,
    ).toBe('KL-POLRI');
  });

  it('sends subsidised LPG addressed to the wali kota to the trade office of the city', () => {
    const d = route('energi_listrik', '33.74', 'Pak Wali Kota, gas elpiji 3 kg langka di pangkalan');
    expect(d.agencyCode).toBe('PEMDA-33.74-DISPERINDAG');
    expect(route('energi_listrik', '33.74', 'gas elpiji 3 kg langka di pangkalan').agencyCode).toBe(
      'KL-ESDM',
    );
  });

  it('keeps the national matters the issue names national even when the Pemda is addressed', () => {
    const bpjs = route('jaminan_sosial', '33.03', 'Bu Bupati, kartu BPJS Kesehatan saya nonaktif');
    expect(bpjs.competent.kind).toBe('bpjs');
    const passport = route('kependudukan', '33.03', 'Pak Bupati, paspor saya belum jadi');
    expect(passport.agencyCode).toBe('KL-IMIGRASI');
  });

  it('waits for the place of an addressed matter without a region, as a Pemda matter', () => {
    const d = route('perhubungan', null, 'Pak Gubernur, tiket kapal feri dijual calo');
    expect(d.ruleId).toBe('perhubungan-pemda-disapa');
    expect(d.placeNeeded).toBe(true);
    expect(d.competent.kind).toBe('pemda');
  });
});

describe('fallbacks', () => {
  it('sends an unknown category with no region to the admin queue', () => {
    const d = route('tidak-ada', null, 'halo, saya mau tanya');
    expect(d.agencyCode).toBe('ADMIN');
    expect(d.ruleId).toBeNull();
    expect(d.signals).toEqual(expect.arrayContaining(['category-unknown:tidak-ada', 'fallback:admin']));
    expectFilledReason(d);
  });

  it('sends "lainnya" without any clue to the admin queue', () => {
    const d = route('lainnya', '33.03', 'saya bingung harus lapor ke mana');
    expect(d.agencyCode).toBe('ADMIN');
    expect(d.signals).toContain('fallback:admin');
  });

  it('waits for the kabupaten/kota of a regency matter when only the province is known', () => {
    const d = route('kependudukan', '33', 'KK saya belum dicetak');
    expect(d.agencyCode).toBe('ADMIN');
    expect(d.placeNeeded).toBe(true);
    expect(d.signals).toEqual(expect.arrayContaining(['place-needed', 'region:33']));
    expectFilledReason(d);
    expect(route('air_bersih', '33', 'Air keruh').agencyCode).toBe('ADMIN');
    // A provincial matter is placed by the province alone.
    expect(route('pendidikan', '33', 'Pungutan di SMA negeri').agencyCode).toBe('PEMDA-33-DISDIK');
  });

  it('resolves a district or village code to its regency', () => {
    for (const code of ['33.03.05', '33.03.05.2001', '330305', '3303']) {
      const d = route('pekerjaan_umum', code, 'Jembatan putus');
      expect(d.agencyCode, code).toBe('PEMDA-33.03-DPUPR');
      expect(d.signals, code).toContain('region:33.03');
    }
    expect(route('pekerjaan_umum', '33.03.05', 'Jembatan putus').signals).toContain('level-up:regency');
  });

  it('keeps a local matter without a place in the admin queue, naming the competent Pemda level', () => {
    const d = route('kependudukan', null, 'Akta kelahiran anak saya salah nama');
    expect(d.agencyCode).toBe('ADMIN');
    expect(d.placeNeeded).toBe(true);
    expect(d.competent).toEqual({ kind: 'pemda', level: 'regency' });
    expect(d.ruleId).toBe('kependudukan');
    expect(d.signals).toContain('place-needed');
    expectFilledReason(d);
    expect(d.reason.id).toMatch(/lokasinya belum diketahui/);
    const sma = route('pendidikan', null, 'Pungutan di SMA negeri');
    expect(sma.competent).toEqual({ kind: 'pemda', level: 'province' });
    expect(route('kesehatan', null, 'Puskesmas tutup').agencyCode).toBe('ADMIN');
  });

  it('sends lecturers and higher-education records to the higher-education ministry whatever the category', () => {
    expect(route('tik', '33.03', 'aplikasi presensi dosen tidak bisa dibuka sejak kemarin').agencyCode).toBe(
      'KL-KEMDIKTISAINTEK',
    );
    expect(route('kependudukan', '33.03', 'nama saya di PDDikti beda dengan ijazah').agencyCode).toBe(
      'KL-KEMDIKTISAINTEK',
    );
  });

  it('sends a national matter to its national body with or without a place', () => {
    for (const region of [null, '33.03']) {
      const bpjs = route('kependudukan', region, 'Data di kartu BPJS saya beda dengan KTP');
      expect(bpjs.agencyCode, String(region)).toBe('BPJS-KES');
      expect(bpjs.competent).toEqual({ kind: 'bpjs', level: 'national' });
      expect(route('sosial', region, 'Nama saya hilang dari DTKS').agencyCode).toBe('KL-KEMENSOS');
      expect(route('kependudukan', region, 'Paspor saya belum jadi').agencyCode).toBe('KL-IMIGRASI');
    }
  });

  it('leaves a water-supply complaint without a region to the admin desk: a ministry cannot fix a local PDAM', () => {
    expect(route('air_bersih', null, 'Air mati').agencyCode).toBe('ADMIN');
    expect(route('air_bersih', '33.03', 'Air mati').agencyCode).toBe('BUMD-PDAM-33.03');
  });

  it("uses the rule's own national body when an operator set one, else waits for the place", () => {
    const rules: RoutingRule[] = [
      {
        id: 'ktp',
        when: { categories: ['kependudukan'] },
        target: { unit: 'DISDUKCAPIL', level: 'regency', national: 'KL-DUKCAPIL' },
        reason: { id: 'KTP ditangani {agency}.', en: 'ID cards are handled by {agency}.' },
      },
    ];
    const r = createRouter({ agencies, rules });
    const d = r.route({ category: 'kependudukan', regionCode: null, text: 'KTP' });
    expect(d.agencyCode).toBe('KL-DUKCAPIL');
    expect(d.signals).toContain('fallback:national');
    expect(d.competent).toEqual({ kind: 'pemda', level: 'regency' });
    const pbb = route('ekonomi_keuangan', null, 'Tagihan PBB salah hitung');
    expect(pbb.agencyCode).toBe('ADMIN');
    expect(pbb.signals).toEqual(expect.arrayContaining(['place-needed', 'rule:pajak-daerah']));
  });

  it('treats an unknown region code like no region, without throwing', () => {
    const d = route('kesehatan', '99.99', 'Puskesmas tutup');
    expect(d.agencyCode).toBe('ADMIN');
    expect(d.placeNeeded).toBe(true);
    expect(d.signals).toContain('region-unknown:99.99');
    expect(route('kesehatan', 'bukan-kode', 'Puskesmas tutup').signals).toContain(
      'region-unknown:bukan-kode',
    );
  });

  it('routes with a directory that has no national ministries at all', () => {
    const small: AgencyRecord[] = agencies.filter((a) => a.kind !== 'kementerian_lembaga');
    const rules: RoutingRule[] = [
      {
        id: 'ktp',
        when: { categories: ['kependudukan'] },
        target: { unit: 'DISDUKCAPIL', level: 'regency' },
        reason: { id: 'KTP ditangani {agency}.', en: 'ID cards are handled by {agency}.' },
      },
    ];
    const r = createRouter({ agencies: small, rules });
    const d = r.route({ category: 'kependudukan', regionCode: null, text: 'KTP' });
    expect(d.agencyCode).toBe('ADMIN');
    expect(d.ruleId).toBe('ktp');
    expect(d.signals).toEqual(expect.arrayContaining(['place-needed', 'rule:ktp']));
    expect(r.route({ category: 'kependudukan', regionCode: '33.03', text: 'KTP' }).agencyCode).toBe(
      'PEMDA-33.03-DISDUKCAPIL',
    );
  });

  it('does not depend on the order of the agency list', () => {
    const reversed = createRouter({ agencies: [...agencies].reverse() });
    const inputs: RouteInput[] = [
      { category: 'pendidikan', regionCode: null, text: 'Guru sering bolos' },
      { category: 'kesehatan', regionCode: null, text: 'Obat habis' },
      { category: 'ekonomi_keuangan', regionCode: null, text: 'Harga beras naik' },
      { category: 'pekerjaan_umum', regionCode: null, text: 'Jalan rusak' },
      { category: 'kependudukan', regionCode: '33.03', text: 'Dukcapil Semarang lambat' },
      { category: 'lainnya', regionCode: '33', text: 'dinkes tidak merespons' },
    ];
    for (const input of inputs) expect(reversed.route(input), input.text).toEqual(router.route(input));
  });

  it('never throws on malformed input', () => {
    const bad = { category: undefined, regionCode: 42, text: null } as unknown as RouteInput;
    expect(router.route(bad).agencyCode).toBe('ADMIN');
    expect(route('', '', '').agencyCode).toBe('ADMIN');
  });
});

describe('rules', () => {
  it('loads the default rules, each targeting a body that exists in every region', () => {
    const rules = loadRoutingRules();
    expect(rules.length).toBeGreaterThan(20);
    const codes = new Set(agencies.map((a) => a.code));
    const regencies = agencies.filter((a) => a.kind === 'pemda' && a.unit === null && a.level === 'regency');
    const provinces = agencies.filter((a) => a.kind === 'pemda' && a.unit === null && a.level === 'province');
    const missing: string[] = [];
    for (const rule of rules) {
      const t = rule.target;
      if ('agency' in t) {
        if (!codes.has(t.agency)) missing.push(`${rule.id}: ${t.agency}`);
        continue;
      }
      if (t.national !== undefined && !codes.has(t.national)) missing.push(`${rule.id}: ${t.national}`);
      if ('unit' in t) {
        const roots = t.level === 'regency' ? regencies : provinces;
        for (const root of roots)
          if (!codes.has(`${root.code}-${t.unit}`)) missing.push(`${rule.id}: ${root.code}`);
      } else {
        for (const root of regencies) {
          if (!codes.has(`BUMD-${t.bumd}-${root.regionCode}`)) missing.push(`${rule.id}: ${root.code}`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
  });

  it('applies the first matching rule', () => {
    const rules: RoutingRule[] = [
      {
        id: 'first',
        when: { categories: ['kesehatan'], keywords: ['rsud'] },
        target: { agency: 'KL-KEMENKES' },
        reason: { id: 'Pertama: {agency}.', en: 'First: {agency}.' },
      },
      {
        id: 'second',
        when: { categories: ['kesehatan'] },
        target: { unit: 'DINKES', level: 'regency' },
        reason: { id: 'Kedua: {agency} di {region}.', en: 'Second: {agency} in {region}.' },
      },
    ];
    const r = createRouter({ agencies, rules });
    expect(r.route({ category: 'kesehatan', regionCode: '33.03', text: 'Antre di RSUD lama' }).ruleId).toBe(
      'first',
    );
    const d = r.route({ category: 'kesehatan', regionCode: '33.03', text: 'Antre di RSUDX lama' });
    expect(d.ruleId).toBe('second');
    expect(d.reason.id).toBe('Kedua: Dinas Kesehatan Kabupaten Purbalingga di Kabupaten Purbalingga.');
  });

  it('needs both keyword lists when a rule has alsoKeywords', () => {
    const rules: RoutingRule[] = [
      {
        id: 'both',
        when: { keywords: ['sampah'], alsoKeywords: ['bupati'] },
        target: { unit: 'DLH', level: 'regency' },
        reason: { id: 'Keduanya: {agency}.', en: 'Both: {agency}.' },
      },
    ];
    const r = createRouter({ agencies, rules });
    expect(
      r.route({ category: 'lainnya', regionCode: '33.03', text: 'Pak Bupati, sampah menumpuk' }).ruleId,
    ).toBe('both');
    expect(r.route({ category: 'lainnya', regionCode: '33.03', text: 'sampah menumpuk' }).ruleId).toBeNull();
    const path = tempFile(
      JSON.stringify([
        {
          id: 'bad-also',
          when: { keywords: ['sampah'], alsoKeywords: [] },
          target: { unit: 'DLH', level: 'regency' },
          reason: { id: 'x', en: 'x' },
        },
      ]),
    );
    expect(() => loadRoutingRules(path)).toThrow(/"bad-also".*alsoKeywords/);
  });

  it('rejects an invalid rules file with a message naming the rule', () => {
    const path = tempFile(
      JSON.stringify([
        {
          id: 'ok-rule',
          when: { categories: ['kesehatan'] },
          target: { agency: 'KL-KEMENKES' },
          reason: { id: 'x {agency}', en: 'x {agency}' },
        },
        {
          id: 'bad-level',
          when: { categories: ['kependudukan'] },
          target: { unit: 'DISDUKCAPIL', level: 'kecamatan' },
          reason: { id: 'x', en: 'x' },
        },
      ]),
    );
    expect(() => loadRoutingRules(path)).toThrow(RoutingRuleError);
    expect(() => loadRoutingRules(path)).toThrow(/rule #2 "bad-level".*level/);
  });

  it('rejects unknown categories, catch-all rules, bad placeholders and broken JSON', () => {
    const rule = (over: Record<string, unknown>) =>
      tempFile(
        JSON.stringify([
          {
            id: 'r1',
            when: { categories: ['kesehatan'] },
            target: { agency: 'KL-KEMENKES' },
            reason: { id: 'a', en: 'a' },
            ...over,
          },
        ]),
      );
    expect(() => loadRoutingRules(rule({ when: { categories: ['kesehatn'] } }))).toThrow(/"r1".*kesehatn/);
    expect(() => loadRoutingRules(rule({ when: {} }))).toThrow(/"r1".*catch-all/);
    expect(() => loadRoutingRules(rule({ reason: { id: '{agensi}', en: 'a' } }))).toThrow(/"r1".*agensi/);
    expect(() => loadRoutingRules(rule({ target: { agency: 'X', unit: 'Y' } }))).toThrow(/"r1".*exactly one/);
    expect(() => loadRoutingRules(tempFile('[{"id": '))).toThrow(/invalid JSON/);
  });

  it('rejects a rule whose target is not in the directory', () => {
    const rules: RoutingRule[] = [
      {
        id: 'ghost',
        when: { keywords: ['hantu'] },
        target: { agency: 'KL-TIDAK-ADA' },
        reason: { id: 'x', en: 'x' },
      },
    ];
    expect(() => createRouter({ agencies, rules })).toThrow(/"ghost".*KL-TIDAK-ADA/);
    const badUnit: RoutingRule[] = [
      { ...rules[0]!, id: 'ghost-unit', target: { unit: 'DINAS_X', level: 'regency' } },
    ];
    expect(() => createRouter({ agencies, rules: badUnit })).toThrow(/"ghost-unit".*DINAS_X/);
    const badNational: RoutingRule[] = [
      { ...rules[0]!, id: 'ghost-national', target: { bumd: 'PDAM', national: 'KL-HILANG' } },
    ];
    expect(() => createRouter({ agencies, rules: badNational })).toThrow(/"ghost-national".*KL-HILANG/);
  });
});

describe('triage (batch routing without a dialog)', () => {
  it('files a bare shared city name with the kota, and asks nobody', async () => {
    const { triage } = await import('../../core/routing/triage.ts');
    const { loadGazetteer } = await import('../../dialogs/gazetteer/index.ts');
    const gazetteer = await loadGazetteer();
    const deps = {
      // A fixed classification keeps this test about places, not about the model.
      classify: () => ({
        category: 'pekerjaan_umum',
        confidence: 0.9,
        top: [{ category: 'pekerjaan_umum', p: 0.9 }],
      }),
      findPlace: (t: string) => gazetteer.find(t),
      router,
      agencies: new Map(agencies.map((a) => [a.code, a])),
    };
    const city = triage(deps, 'saluran air di depan pasar Cirebon mampet, jalan tergenang');
    expect(city.region?.code).toBe('32.74');
    expect(city.agency?.regionCode).toBe('32.74');
    const regency = triage(deps, 'saluran air di depan pasar Kabupaten Cirebon mampet');
    expect(regency.region?.code).toBe('32.09');
    // A referral hospital's city is no place of the complaint: the report waits for its place.
    const referred = triage(deps, 'pasien dirujuk ke Cirebon, jalan ke rumah sakit rusak');
    expect(referred.region).toBeNull();
    expect(referred.decision.placeNeeded).toBe(true);
  });
});
