/**
 * Agency names the way disposition history writes them, resolved against the directory:
 * spellings, abbreviations, branch offices, former ministry names. Names written for this test.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type AgencyRecord, buildAgencyDirectory } from '../../core/directory/index.ts';
import {
  type AgencyNameResolver,
  createAgencyNameResolver,
  guessKind,
  resolutionReport,
} from '../../core/directory/resolve-name.ts';

let agencies: AgencyRecord[];
let resolver: AgencyNameResolver;

beforeAll(async () => {
  agencies = await buildAgencyDirectory();
  resolver = createAgencyNameResolver(agencies);
});

const code = (name: string, region?: string) => resolver.resolve(name, region).code;

describe('agency name resolver', () => {
  it.each([
    ['Dinas Pekerjaan Umum Kota Semarang', 'PEMDA-33.74-DPUPR'],
    ['Dinas PU Kota Semarang', 'PEMDA-33.74-DPUPR'],
    ['DINAS PUPR KOTA SEMARANG', 'PEMDA-33.74-DPUPR'],
    ['Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Purbalingga', 'PEMDA-33.03-DPUPR'],
    ['Dinas Kependudukan dan Catatan Sipil Kab. Purbalingga', 'PEMDA-33.03-DISDUKCAPIL'],
    ['Satuan Polisi Pamong Praja Kota Bandung', 'PEMDA-32.73-SATPOLPP'],
    ['PDAM Tirta Sejahtera Kabupaten Purbalingga', 'BUMD-PDAM-33.03'],
    ['Dinas ESDM Provinsi Jawa Tengah', 'PEMDA-33-ESDM'],
    ['Pemerintah Kota Surakarta', 'PEMDA-33.72'],
  ])('names a Pemda office with its region: %s', (name, expected) => {
    expect(code(name)).toBe(expected);
  });

  it.each([
    ['Direktorat Jenderal Imigrasi', 'KL-IMIGRASI', 'name'],
    ['Kementerian ESDM', 'KL-ESDM', 'name'],
    ['Kementerian Energi dan Sumber Daya Mineral (ESDM)', 'KL-ESDM', 'parent'],
    ['BPJS Kesehatan KC Sampit', 'BPJS-KES', 'parent'],
    ['BPJS Kesehatan Kantor Cabang Purwokerto', 'BPJS-KES', 'parent'],
    ['Kantor Imigrasi Kelas I TPI Semarang', 'KL-IMIGRASI', 'parent'],
    ['Kanwil Kementerian Agama Provinsi Jawa Timur', 'KL-KEMENAG', 'parent'],
    ['Polres Banyumas', 'KL-POLRI', 'parent'],
    ['Badan Penyelenggara Jaminan Sosial Ketenagakerjaan', 'BPJS-TK', 'parent'],
  ])('sends a branch, regional office or long form to its body: %s', (name, expected, via) => {
    expect(resolver.resolve(name)).toMatchObject({ code: expected, via });
  });

  it.each([
    ['Kementerian Pendidikan dan Kebudayaan', 'KL-KEMENDIKDASMEN'],
    ['Kementerian Pekerjaan Umum dan Perumahan Rakyat', 'KL-PU'],
    ['Kementerian Komunikasi dan Informatika', 'KL-KOMDIGI'],
    ['Kementerian Hukum dan HAM', 'KL-IMIPAS'],
    ['Kementerian Riset, Teknologi dan Pendidikan Tinggi', 'KL-KEMDIKTISAINTEK'],
    ['Departemen Tenaga Kerja', 'KL-KEMNAKER'],
  ])('knows a former ministry name: %s', (name, expected) => {
    expect(code(name)).toBe(expected);
  });

  it('takes the region column for a unit written without one', () => {
    expect(resolver.resolve('Dinas Perhubungan')).toMatchObject({
      code: null,
      kind: 'pemda',
      unit: 'DISHUB',
      via: 'unit-only',
    });
    expect(code('Dinas Perhubungan', 'Kota Semarang')).toBe('PEMDA-33.74-DISHUB');
    expect(code('Dinas Perhubungan', '33.03')).toBe('PEMDA-33.03-DISHUB');
    expect(code('Dinas Perhubungan', '3303')).toBe('PEMDA-33.03-DISHUB');
  });

  it('sends an office the directory does not list to its Pemda', () => {
    expect(resolver.resolve('Kecamatan Kemangkon Kabupaten Purbalingga')).toMatchObject({
      code: 'PEMDA-33.03',
      via: 'region',
    });
    expect(code('Dinas Perumahan Rakyat Kota Bandung')).toBe('PEMDA-32.73');
  });

  it('accepts directory codes as they are', () => {
    expect(resolver.resolve('PEMDA-33.03-DINKES')).toMatchObject({ code: 'PEMDA-33.03-DINKES', via: 'code' });
    expect(code('bumn-pln')).toBe('BUMN-PLN');
  });

  it('leaves unknown bodies unresolved but says what kind they look like', () => {
    expect(resolver.resolve('Direktorat Pengelolaan Arsip Nasional')).toMatchObject({
      code: null,
      kind: 'kementerian_lembaga',
      via: 'none',
    });
    expect(guessKind('kementerian desa dan pembangunan daerah tertinggal')).toBe('kementerian_lembaga');
    expect(guessKind('badan pengelola keuangan daerah')).toBe('pemda');
    expect(guessKind('pt angkasa pura')).toBe('bumn');
    expect(resolver.resolve('Layanan Pengaduan Umum')).toMatchObject({ code: null, kind: null });
    expect(resolver.resolve('')).toMatchObject({ code: null, via: 'none' });
  });

  it("learns the operator's own names for a body", () => {
    const own = createAgencyNameResolver(agencies, { 'KL-KEMENKEU': ['Biro Umum Setjen Keuangan'] });
    expect(own.resolve('Biro Umum Setjen Keuangan').code).toBe('KL-KEMENKEU');
    expect(code('Biro Umum Setjen Keuangan')).toBeNull();
  });

  it('reports the resolution rate and the names left over', () => {
    const report = resolutionReport(resolver, [
      { name: 'Dinas PU Kota Semarang' },
      { name: 'BPJS Kesehatan KC Sampit' },
      { name: 'Badan Urusan Yang Tidak Ada' },
      { name: 'Badan Urusan Yang Tidak Ada' },
    ]);
    expect(report.rate).toBe(0.5);
    expect([...report.unresolved]).toEqual([['Badan Urusan Yang Tidak Ada', 2]]);
  });
});
