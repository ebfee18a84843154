import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../dialogs/gazetteer/csv.ts';
import {
  createGazetteer,
  type Gazetteer,
  type GazetteerData,
  type LocationResolution,
  loadGazetteer,
  PLACE_CONFIDENT,
} from '../../dialogs/gazetteer/index.ts';
import { normalizeName, tokenize, withinOneEdit } from '../../dialogs/gazetteer/normalize.ts';

function codes(result: LocationResolution): string[] {
  return result.candidates.map((p) => p.code);
}

describe('normalisation helpers', () => {
  it('normalises names: case, diacritics, apostrophes and punctuation', () => {
    expect(normalizeName('Kota Bau-Bau')).toBe('kota bau bau');
    expect(normalizeName("Ra'as")).toBe('raas');
    expect(normalizeName('Soka"an')).toBe('sokaan');
    expect(normalizeName('  Kéc.  Kemangkon ')).toBe('kec kemangkon');
  });

  it('tokenizes with offsets into the original text and notes hyphen joins', () => {
    const text = 'Kec.Kemangkon, bau-bau';
    const tokens = tokenize(text);
    expect(tokens.map((t) => t.norm)).toEqual(['kec', 'kemangkon', 'bau', 'bau']);
    expect(text.slice(tokens[1]!.start, tokens[1]!.end)).toBe('Kemangkon');
    expect(tokens[2]!.hyphenNext).toBe(true);
    expect(tokens[1]!.hyphenNext).toBe(false);
  });

  it('accepts exactly one insertion, deletion, substitution or adjacent swap', () => {
    expect(withinOneEdit('purbalingga', 'purbalinga')).toBe(true);
    expect(withinOneEdit('purbalingga', 'purbolinga')).toBe(false);
    expect(withinOneEdit('semarang', 'semarnag')).toBe(true);
    expect(withinOneEdit('semarang', 'semerang')).toBe(true);
    expect(withinOneEdit('semarang', 'smeranag')).toBe(false);
    expect(withinOneEdit('abc', 'abc')).toBe(true);
  });
});

describe('parseCsv', () => {
  it('handles quoted fields, doubled quotes, commas inside quotes and CRLF', () => {
    const rows = parseCsv(
      'code,district_code,name\r\n1,2,"Lubuk Pakam I,II"\r\n3,4,"Soka""an"\r\n5,6,Plain\r\n',
    );
    expect(rows).toEqual([
      { code: '1', district_code: '2', name: 'Lubuk Pakam I,II' },
      { code: '3', district_code: '4', name: 'Soka"an' },
      { code: '5', district_code: '6', name: 'Plain' },
    ]);
  });

  it('returns no rows for empty input or a header only', () => {
    expect(parseCsv('')).toEqual([]);
    expect(parseCsv('code,name\n')).toEqual([]);
  });
});

describe('createGazetteer with small data', () => {
  // Rows deliberately out of order and without parent columns: parents come from the codes.
  const data: GazetteerData = {
    provinces: [
      { code: '94', name: 'Papua Tengah' },
      { code: '33', name: 'Jawa Tengah' },
    ],
    regencies: [
      { code: '33.03', name: 'Kabupaten Purbalingga' },
      { code: '33.01', name: 'Kabupaten Cilacap' },
      { code: '94.01', name: 'Kabupaten Nabire' },
      { code: '77.01', name: 'Kabupaten Tanpa Provinsi' },
    ],
    districts: [
      { code: '33.03.01', name: 'Kemangkon' },
      { code: '33.03.05', name: 'Purbalingga' },
      { code: '33.01.05', name: 'Nusawungu' },
      { code: '94.01.01', name: 'Nabire' },
    ],
    villages: [
      { code: '33.03.01.2001', name: 'Kedungbenda' },
      { code: '33.01.05.2006', name: 'Kedungbenda' },
      { code: '33.03.05.1001', name: 'Purbalingga Lor' },
      { code: '33.03.01.2006', name: 'Kemangkon' },
    ],
  };
  const small = createGazetteer(data);

  it('derives the hierarchy from codes and builds labels', () => {
    expect(small.get('33.03.01')).toEqual({
      code: '33.03.01',
      name: 'Kemangkon',
      level: 'district',
      label: 'Kec. Kemangkon, Kab. Purbalingga, Jawa Tengah',
      provinceCode: '33',
      regencyCode: '33.03',
      districtCode: '33.03.01',
    });
    expect(small.get('33.03.05.1001')?.label).toBe(
      'Kel. Purbalingga Lor, Kec. Purbalingga, Kab. Purbalingga, Jawa Tengah',
    );
    expect(small.get('33.01.05.2006')?.label).toBe(
      'Desa Kedungbenda, Kec. Nusawungu, Kab. Cilacap, Jawa Tengah',
    );
    // Papuan kecamatan are called distrik.
    expect(small.get('94.01.01')?.label).toBe('Distrik Nabire, Kab. Nabire, Papua Tengah');
  });

  it('skips rows whose parent is missing', () => {
    expect(small.get('77.01')).toBeUndefined();
  });

  it('resolves a village by its district and keeps same-named villages apart', () => {
    expect(small.find('desa kedungbenda kec kemangkon').best?.code).toBe('33.03.01.2001');
    const alone = small.find('desa kedungbenda');
    expect(alone.ambiguous).toBe(true);
    expect(codes(alone).sort()).toEqual(['33.01.05.2006', '33.03.01.2001']);
  });

  it('prefers the regency over its same-named capital district', () => {
    expect(small.find('jalan rusak di purbalingga').best?.code).toBe('33.03');
    expect(small.find('jalan rusak di kec purbalingga').best?.code).toBe('33.03.05');
  });

  it('works without a dictionary and without aliases whose codes are absent', () => {
    expect(small.find('lampu mati di jaksel').best).toBeNull();
    expect(small.search('kemangkon')[0]?.code).toBe('33.03.01');
  });
});

describe('gazetteer over the national data', () => {
  let gazetteer: Gazetteer;

  beforeAll(async () => {
    gazetteer = await loadGazetteer();
  });

  it('loads once per process', async () => {
    expect(await loadGazetteer()).toBe(gazetteer);
  });

  describe('hierarchy', () => {
    it('combines a kecamatan with its kabupaten', () => {
      const result = gazetteer.find('jalan berlubang di Kec. Kemangkon, Purbalingga');
      expect(result.ambiguous).toBe(false);
      expect(result.best).toMatchObject({
        code: '33.03.01',
        name: 'Kemangkon',
        level: 'district',
        label: 'Kec. Kemangkon, Kab. Purbalingga, Jawa Tengah',
        provinceCode: '33',
        regencyCode: '33.03',
      });
      expect(codes(result)).toEqual(['33.03.01']);
      expect(result.matchedText).toBe('Kec. Kemangkon, Purbalingga');
    });

    it('accepts the parts in any order and with the province added', () => {
      expect(gazetteer.find('purbalingga, kemangkon').best?.code).toBe('33.03.01');
      expect(gazetteer.find('Kab. Purbalingga Kecamatan Kemangkon Jawa Tengah').best?.code).toBe('33.03.01');
    });

    it('returns candidates for a kecamatan name shared by several regencies', () => {
      const result = gazetteer.find('jembatan putus di wonosari');
      expect(result.ambiguous).toBe(true);
      expect(result.best).toBeNull();
      expect(result.candidates.length).toBeGreaterThanOrEqual(3);
      expect(result.candidates.length).toBeLessThanOrEqual(5);
      expect(result.candidates.every((p) => p.level === 'district' && p.name === 'Wonosari')).toBe(true);
      expect(codes(result)).toContain('34.03.01');
      expect(codes(result)).toContain('33.10.15');
    });

    it('resolves the shared kecamatan once its regency is named', () => {
      expect(gazetteer.find('jembatan putus di wonosari, gunungkidul').best?.code).toBe('34.03.01');
      expect(gazetteer.find('jembatan putus di kec wonosari kab klaten').best?.code).toBe('33.10.15');
      // Written apart, "gunung kidul" still names Kabupaten Gunungkidul.
      expect(gazetteer.find('wonosari gunung kidul').best?.code).toBe('34.03.01');
    });

    it('resolves "desa X kec Y" to the village', () => {
      const result = gazetteer.find('Desa Kedungbenda Kec. Kemangkon, jalannya rusak');
      expect(result.best).toMatchObject({
        code: '33.03.01.2001',
        level: 'village',
        districtCode: '33.03.01',
        regencyCode: '33.03',
        provinceCode: '33',
      });
      expect(result.best?.label).toBe('Desa Kedungbenda, Kec. Kemangkon, Kab. Purbalingga, Jawa Tengah');
    });

    it('keeps a prefixed village ambiguous until its district is known', () => {
      const result = gazetteer.find('ds kedungbenda banjir');
      expect(result.ambiguous).toBe(true);
      expect(codes(result)).toEqual(expect.arrayContaining(['33.01.05.2006', '33.03.01.2001']));
    });

    it('accepts an unprefixed village only when its district is also mentioned', () => {
      expect(gazetteer.find('kedungbenda kemangkon').best?.code).toBe('33.03.01.2001');
      const alone = gazetteer.find('saya tinggal di kedungbenda');
      expect(alone.best).toBeNull();
      expect(alone.candidates).toEqual([]);
    });

    it('corrects a one-letter typo in a prefixed village when the district is given', () => {
      expect(gazetteer.find('desa kedungbendaa kec kemangkon').best?.code).toBe('33.03.01.2001');
    });

    it('labels a kelurahan', () => {
      expect(gazetteer.find('kelurahan menteng jakarta pusat').best?.label).toBe(
        'Kel. Menteng, Kec. Menteng, Kota Adm. Jakarta Pusat, DKI Jakarta',
      );
    });
  });

  describe('kota and kabupaten of the same name', () => {
    it('is ambiguous for a bare "Bogor"', () => {
      const result = gazetteer.find('banjir lagi di bogor');
      expect(result.ambiguous).toBe(true);
      expect(result.best).toBeNull();
      expect(codes(result).sort()).toEqual(['32.01', '32.71']);
      expect(result.matchedText).toBe('bogor');
    });

    it('follows the prefix', () => {
      expect(gazetteer.find('Kota Bogor').best?.code).toBe('32.71');
      expect(gazetteer.find('kab bogor').best?.code).toBe('32.01');
      expect(gazetteer.find('Kota Semarang').best).toMatchObject({
        code: '33.74',
        name: 'Kota Semarang',
        level: 'regency',
        label: 'Kota Semarang, Jawa Tengah',
      });
    });

    const pairs = [
      'Semarang',
      'Magelang',
      'Malang',
      'Madiun',
      'Kediri',
      'Blitar',
      'Mojokerto',
      'Pasuruan',
      'Probolinggo',
      'Tegal',
      'Pekalongan',
      'Cirebon',
      'Bekasi',
      'Tangerang',
      'Sukabumi',
      'Bandung',
    ];
    it.each(pairs)('%s: bare is ambiguous, prefixed is resolved', (name) => {
      const bare = gazetteer.find(`jalan rusak di ${name.toLowerCase()}`);
      expect(bare.ambiguous).toBe(true);
      expect(bare.candidates.map((p) => p.name).sort()).toEqual([`Kabupaten ${name}`, `Kota ${name}`]);
      expect(gazetteer.find(`jalan rusak di kota ${name}`).best?.name).toBe(`Kota ${name}`);
      expect(gazetteer.find(`jalan rusak di Kab. ${name}`).best?.name).toBe(`Kabupaten ${name}`);
      expect(gazetteer.find(`jalan rusak di kabupaten ${name}`).best?.name).toBe(`Kabupaten ${name}`);
    });

    it('offers the kota first and marks it as the likely reading of a bare shared name', () => {
      const bare = gazetteer.find('trotoar dipakai parkir motor di Tegal');
      expect(bare.ambiguous).toBe(true);
      expect(bare.best).toBeNull();
      expect(bare.candidates[0]?.name).toBe('Kota Tegal');
      expect(bare.likely?.place.name).toBe('Kota Tegal');
      expect(bare.likely?.confidence).toBeGreaterThanOrEqual(PLACE_CONFIDENT);
    });

    it('has no likely reading when another mention settles it or the pair is not a kota and its kabupaten', () => {
      // A kecamatan of the kabupaten tips the balance: no shared-name guess needed.
      const withDistrict = gazetteer.find('pasar di Slawi, Tegal becek sekali');
      expect(withDistrict.likely).toBeUndefined();
      expect(withDistrict.best?.regencyCode ?? withDistrict.best?.code).toBe('33.28');
      // Two different places tied: no likely reading.
      expect(gazetteer.find('jalan di bojongsari rusak').likely).toBeUndefined();
    });

    it('falls back to the kabupaten when "kota" precedes a name that is only a kabupaten', () => {
      expect(gazetteer.find('di kota purbalingga').best?.code).toBe('33.03');
    });
  });

  describe('typos', () => {
    it('corrects a typo inside a name but not a different first letter', () => {
      expect(gazetteer.find('banjir di Slemam kemarin').best?.code).toBe('34.04');
      // One letter from Sleman, but at the start: another word or name, not a typo.
      expect(gazetteer.find('banjir di Kleman kemarin').best).toBeNull();
    });

    it('corrects one edit in names of six letters or more', () => {
      expect(gazetteer.find('jalan rusak di purbalinga').best?.code).toBe('33.03');
      expect(gazetteer.find('kab purbalinga').best?.code).toBe('33.03');
      expect(gazetteer.find('lampu mati di sleeman').best?.code).toBe('34.04');
      expect(gazetteer.find('di jawa tenggah').best?.code).toBe('33');
      expect(gazetteer.find('kulon progoo').best?.code).toBe('34.01');
    });

    it('does not correct short names', () => {
      // "demek" is one letter from Demak (5 letters), "pato" from Pati (4).
      expect(gazetteer.find('jalan rusak di demek').best).toBeNull();
      expect(gazetteer.find('jalan rusak di pato').candidates).toEqual([]);
    });

    it('does not turn dictionary words into place names', () => {
      expect(gazetteer.find('warga lari pontang-panting').candidates).toEqual([]);
    });
  });

  describe('aliases and multi-word names', () => {
    it.each([
      ['jaksel', '31.74'],
      ['jakpus', '31.71'],
      ['jakbar', '31.73'],
      ['jaktim', '31.75'],
      ['jakut', '31.72'],
      ['DKI', '31'],
      ['dki jakarta', '31'],
      ['jakarta', '31'],
      ['jakarta selatan', '31.74'],
      ['Kota Administrasi Jakarta Selatan', '31.74'],
      ['jogja', '34'],
      ['yogya', '34'],
      ['kota jogja', '34.71'],
      ['jabar', '32'],
      ['jateng', '33'],
      ['jatim', '35'],
      ['kulonprogo', '34.01'],
      ['tanjung jabung barat', '15.06'],
      ['solo', '33.72'],
    ])('"%s" -> %s', (text, code) => {
      const result = gazetteer.find(`banjir di ${text} sejak kemarin`);
      expect(result.ambiguous).toBe(false);
      expect(result.best?.code).toBe(code);
    });

    it('resolves a province named alone', () => {
      const result = gazetteer.find('jalan provinsi rusak di jawa tengah');
      expect(result.best).toMatchObject({ code: '33', level: 'province', label: 'Jawa Tengah' });
      expect(result.matchedText).toBe('jawa tengah');
    });

    it('prefers a province over the same-named city inside it', () => {
      expect(gazetteer.find('saya dari jambi').best?.code).toBe('15');
      expect(gazetteer.find('saya dari kota jambi').best?.code).toBe('15.71');
    });
  });

  describe('common words and false positives', () => {
    it('needs a prefix for places named with common words', () => {
      expect(gazetteer.find('batu besar menutup jalan').candidates).toEqual([]);
      expect(gazetteer.find('tempat wisata di kota batu').best?.code).toBe('35.79');
      const baru = gazetteer.find('jalan di desa baru rusak');
      expect(baru.ambiguous).toBe(true);
      // Villages called "Baru", or "Kampung/Gampong Baru" with the word for desa in the name.
      expect(
        baru.candidates.every((p) => p.level === 'village' && /^((kampung|gampong) )?baru$/i.test(p.name)),
      ).toBe(true);
    });

    it('ignores street names and people after "jl." or "pak"', () => {
      expect(gazetteer.find('jl. bandung berlubang, kota malang').best?.code).toBe('35.73');
      expect(gazetteer.find('laporan dari pak bambang').candidates).toEqual([]);
    });

    const negatives = [
      'lampu jalan mati sudah seminggu',
      'jalan berlubang besar sekali dan sering bikin motor jatuh',
      'sampah menumpuk di pinggir jalan tidak diangkut petugas',
      'air PDAM tidak mengalir sejak tiga hari yang lalu',
      'pelayanan di kantor kelurahan sangat lambat',
      'saya sudah mengurus KTP dari bulan Januari tapi belum jadi',
      'bantuan sosial tidak tepat sasaran, tetangga yang kaya malah dapat',
      'jembatan kayu di dekat rumah saya sudah mau roboh',
      'selokan mampet dan airnya meluap kalau hujan deras',
      'pohon besar tumbang menutupi jalan raya',
      'banjir setinggi lutut merendam rumah warga',
      'pasar tradisional kotor dan becek, atapnya bocor',
      'jalan baru saja diaspal tapi sudah rusak lagi',
      'lampu merah di perempatan mati sehingga macet parah',
      'tiang listrik miring hampir roboh kena angin',
      'truk tambang lewat jalan desa sampai jalannya hancur',
      'jalan menuju sawah rusak parah dan licin',
      'gas elpiji tiga kilo susah dicari',
      'taman kota tidak terawat dan rumputnya tinggi',
      'jalan tengah kampung becek kalau hujan',
      'di ujung gang ada tumpukan sampah',
      'tebing di belakang rumah retak dan rawan longsor',
      'tanggul sungai jebol',
      'sungai penuh sampah dan berbau',
      'kota baru ini jalannya sempit',
      'pasar baru sudah jadi tapi pedagang belum dipindah',
      'tanjakan terjal dan licin tanpa pembatas',
      'perahu penyeberangan tidak layak dan tanpa pelampung',
      'air sumur tercemar limbah',
      'kebakaran lahan gambut, asap pekat sekali',
      'tambak udang membuang limbah ke laut',
      'harga cabai dan bawang merah melonjak',
      'kepala desa menyalahgunakan dana desa',
      'perangkat desa minta pungutan',
      'desa kami belum teraliri listrik',
      'kelurahan saya lambat pelayanannya',
      'kecamatan kami belum dapat bantuan',
      'kabupaten kami butuh perbaikan jalan',
      'jalan di kota ini macet parah',
      'warga kampung kami resah',
      'kampung nelayan kumuh dan becek',
      'provinsi harus turun tangan',
      'ojek pangkalan melarang ojol mangkal',
      'sebelah utara pasar ada tumpukan sampah',
      'wilayah selatan sering banjir',
      'jl merdeka rusak parah',
      'gang mawar becek sekali',
      'bu sri bidan desa jarang di tempat',
      'palang pintu kereta tidak ada penjaganya',
      'pabrik semen mencemari udara',
      'pohon jati ditebang liar',
      'kelapa sawit ditanam di hutan lindung',
      'gajah liar merusak kebun warga',
      'harga gabah anjlok',
      'min tolong dong jalan depan rmh sy rusak parah bgt',
      'udah 3 hari air ga ngalir, gmn nih',
      'galian pipa pdam dibiarkan terbuka',
      'kartu indonesia sehat tidak bisa dipakai berobat',
      'ppdb zonasi tidak adil',
      'thr belum dibayar perusahaan',
      'sumur bor warga kering musim kemarau',
      'tempat karaoke buka sampai pagi',
      'pos ronda tidak aktif',
      'lokasinya di dekat masjid besar',
      'di samping kantor desa',
      'dekat jembatan merah',
      'jalan ke puncak bukit licin',
      'rumah tidak layak huni',
      'terima kasih atas perhatiannya',
      'ok',
      '',
    ];
    it.each(negatives)('finds no place in %j', (text) => {
      const result = gazetteer.find(text);
      expect(result.best).toBeNull();
      expect(result.candidates).toEqual([]);
      expect(result.ambiguous).toBe(false);
      expect(result.matchedText).toBeUndefined();
    });
  });

  describe('evidence and confidence', () => {
    it('does not read an everyday word as a place on its own', () => {
      // "bener" (really), "guna" (use) and "malang" (unlucky) are also place names.
      for (const text of ['sudah bener kok pak', 'tidak ada guna lapor', 'nasib malang warga kecil']) {
        const result = gazetteer.find(text);
        expect(result.best, text).toBeNull();
        expect(result.candidates, text).toEqual([]);
      }
      // With a locative cue and a capital, the city is meant (Kota or Kabupaten: asked).
      expect(
        gazetteer
          .find('jalan rusak di Malang')
          .candidates.map((p) => p.code)
          .sort(),
      ).toEqual(['35.07', '35.73']);
    });

    it('does not take an acronym in capitals or a multi-word everyday phrase for a place', () => {
      const siak = gazetteer.find('operator SIAK di desa kami lambat sekali');
      expect(siak.confidence).toBeLessThan(PLACE_CONFIDENT);
      expect(gazetteer.find('kuliah di Universitas Tujuh Belas Agustus').best).toBeNull();
    });

    it('prefers mentions that agree on one regency over a typo-tolerant match elsewhere', () => {
      // "Sleeman" is one letter from Kab. Sleman; Majasari and Bukateja agree on Purbalingga.
      const result = gazetteer.find('Jembatan gantung di Majasari, Bukateja miring. Saya dari Sleeman');
      expect(result.best?.code).toBe('33.03.02.2013');
      expect(result.confidence).toBeGreaterThanOrEqual(PLACE_CONFIDENT);
    });

    it('lets many kecamatan of one regency outvote a kabupaten named like one of them', () => {
      // Karanganyar is a kabupaten, and also a kecamatan of Purbalingga with the three others.
      const result = gazetteer.find(
        'marka jalan hilang dari Bobotsari, Karanganyar, Kertanegara sampai Karangmoncol',
      );
      expect(result.best?.code).toBe('33.03');
    });

    it('is sure of a prefixed place and unsure of a bare kecamatan name', () => {
      expect(gazetteer.find('di Kec. Kemangkon, Kab. Purbalingga').confidence).toBe(1);
      const bare = gazetteer.find('kemangkon');
      expect(bare.best?.code).toBe('33.03.01');
      expect(bare.confidence).toBeLessThan(PLACE_CONFIDENT);
    });

    it('reads an answer to "where?" together with the complaint', () => {
      // Bojongsari is a kecamatan of Kota Depok and of Kabupaten Purbalingga.
      expect(gazetteer.find('jalan di bojongsari rusak').ambiguous).toBe(true);
      const answered = gazetteer.find('Kabupaten Purbalingga', { context: 'jalan di bojongsari rusak' });
      expect(answered.best?.label).toBe('Kec. Bojongsari, Kab. Purbalingga, Jawa Tengah');
      // The context alone names nothing.
      expect(gazetteer.find('iya', { context: 'jalan di Kec. Kemangkon rusak' }).best).toBeNull();
    });

    it('keeps to a kelurahan after "kel." and to a desa after "desa" when the name is both', () => {
      // Sumurboto is a kelurahan of Kota Semarang and a desa of Kabupaten Blora.
      expect(gazetteer.find('antre lama di kantor Kel. Sumurboto').best?.label).toBe(
        'Kel. Sumurboto, Kec. Banyumanik, Kota Semarang, Jawa Tengah',
      );
      expect(gazetteer.find('antre lama di kantor kelurahan sumurboto').best?.regencyCode).toBe('33.74');
      expect(gazetteer.find('jembatan putus di desa Sumurboto').best?.regencyCode).toBe('33.16');
    });

    it('is sure of a kecamatan that settles which of two same-named regencies is meant', () => {
      // "Semarang" alone is the kota or the kabupaten; Tembalang is only in the kota.
      const both = gazetteer.find('trotoar rusak di Tembalang, Semarang');
      expect(both.best?.label).toBe('Kec. Tembalang, Kota Semarang, Jawa Tengah');
      expect(both.confidence).toBeGreaterThanOrEqual(PLACE_CONFIDENT);
      // A single name with two readings keeps its full margin: no confidence gained.
      const single = gazetteer.find('kemangkon');
      expect(single.confidence).toBeLessThan(PLACE_CONFIDENT);
    });

    it('reads "di" written joined to an administrative word', () => {
      expect(gazetteer.find('lampu jalan mati dikecamatan Kemangkon').best?.code).toBe('33.03.01');
      expect(gazetteer.find('banjir lagi dikota tegal').best?.code).toBe('33.76');
      // An ordinary verb with the di- prefix is not split: "dikabarkan" is not "di kab".
      expect(gazetteer.find('dikabarkan jembatan ditutup').candidates).toEqual([]);
    });

    it('reads the region of a government account, hashtag or web address', () => {
      expect(gazetteer.find('@pemkotsmg tolong lampu taman mati').best?.code).toBe('33.74');
      expect(gazetteer.find('sudah lapor ke @DishubKotaBogor belum ada tanggapan').best?.code).toBe('32.71');
      expect(gazetteer.find('info di purbalinggakab.go.id tidak diperbarui').best?.code).toBe('33.03');
      expect(gazetteer.find('#pemkabbojonegoro jalan desa rusak').best?.code).toBe('35.22');
      // A city code is read only inside a handle: as a word "smg" is "semoga".
      expect(gazetteer.find('smg cepat diperbaiki ya pak').candidates).toEqual([]);
      expect(gazetteer.find('@budi_smg tolong dicek').candidates).toEqual([]);
    });

    it('does not file with the city of a referral hospital', () => {
      // A national referral hospital carries the name of its city; the patient may live anywhere.
      const rsup = gazetteer.find('ibu saya dirawat di RSUP Dr Hasan Sadikin Bandung, biaya obat ditagih');
      expect(rsup.best && rsup.confidence >= PLACE_CONFIDENT).toBeFalsy();
      expect((rsup.likely?.confidence ?? 0) < PLACE_CONFIDENT).toBe(true);
      const referred = gazetteer.find('anak saya dirujuk ke Semarang tapi ambulans tidak ada');
      expect((referred.likely?.confidence ?? referred.confidence) < PLACE_CONFIDENT).toBe(true);
    });

    it('reads a whole landmark phrase after "perbatasan" as landmark, up to the end of the clause', () => {
      // Both "kecamatan Sokaraja" and "Banyumas" belong to the landmark.
      const result = gazetteer.find(
        'Jalan dari desa Majasari ke Bukateja berlubang sampai perbatasan dengan wilayah kecamatan Sokaraja Banyumas',
      );
      expect(result.best?.regencyCode).toBe('33.03');
      // A new sentence ends the landmark phrase.
      expect(
        gazetteer.find('Jalan di Padamara rusak sampai perbatasan. Saya warga Purbalingga').best?.label,
      ).toBe('Kec. Padamara, Kab. Purbalingga, Jawa Tengah');
    });

    it('gives way to the landmark reading after "batas"/"perbatasan"', () => {
      const result = gazetteer.find(
        'Saluran irigasi di Majasari, Bukateja jebol, airnya meluap sampai batas kecamatan Sokaraja Banyumas',
      );
      expect(result.best?.regencyCode).toBe('33.03');
    });
  });

  describe('search', () => {
    it('finds a kecamatan by its bare name, kecamatan first', () => {
      const results = gazetteer.search('kemangkon');
      expect(results[0]?.code).toBe('33.03.01');
      expect(results.map((p) => p.code)).toContain('33.03.01.2006');
    });

    it('accepts common-word names, typos and prefixes of names', () => {
      expect(gazetteer.search('baru').every((p) => p.name.endsWith('Baru'))).toBe(true);
      expect(gazetteer.search('purbalinga')[0]?.code).toBe('33.03');
      expect(gazetteer.search('kedungbend').map((p) => p.code)).toContain('33.03.01.2001');
      expect(gazetteer.search('kota batu')[0]?.code).toBe('35.79');
    });

    it('uses context in a multi-part answer', () => {
      const results = gazetteer.search('desa kedungbenda kemangkon');
      expect(results[0]?.code).toBe('33.03.01.2001');
    });

    it('respects the limit and returns nothing for empty or unknown input', () => {
      expect(gazetteer.search('baru', 3)).toHaveLength(3);
      expect(gazetteer.search('')).toEqual([]);
      expect(gazetteer.search('qwxzvb')).toEqual([]);
    });
  });

  describe('get, regencyOf, provinceOf', () => {
    it('gets any level by code, also undotted', () => {
      expect(gazetteer.get('33.03.01.2001')).toMatchObject({
        name: 'Kedungbenda',
        level: 'village',
        districtCode: '33.03.01',
        regencyCode: '33.03',
        provinceCode: '33',
      });
      expect(gazetteer.get('33')?.name).toBe('Jawa Tengah');
      expect(gazetteer.get('3303')?.name).toBe('Kabupaten Purbalingga');
      expect(gazetteer.get('99.99')).toBeUndefined();
    });

    it('walks up to the regency and the province', () => {
      expect(gazetteer.regencyOf('33.03.01.2001')?.code).toBe('33.03');
      expect(gazetteer.regencyOf('33.03.01')?.code).toBe('33.03');
      expect(gazetteer.regencyOf('33.03')?.code).toBe('33.03');
      expect(gazetteer.regencyOf('33')).toBeUndefined();
      expect(gazetteer.provinceOf('31.74')?.label).toBe('DKI Jakarta');
      expect(gazetteer.provinceOf('33.03.01.2001')?.code).toBe('33');
      expect(gazetteer.provinceOf('33')?.code).toBe('33');
      expect(gazetteer.provinceOf('nope')).toBeUndefined();
    });
  });
});
