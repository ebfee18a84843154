/**
 * `lapor chat --jsonl`, scripted: JSON lines in on stdin, one JSON line per bot reply out, on
 * the embedded database in a temp DATA_DIR. The real command in a child process.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, lines, runLapor, tempDataDir } from '../support/cli.ts';

const TRACKING_ID = /LPR-[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}/;
const TIMEOUT = 240_000;

interface OutLine {
  to?: string;
  text?: string;
  choices?: { id: string; label: string }[];
  error?: string;
}

function script(...messages: (object | string)[]): string {
  return `${messages.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join('\n')}\n`;
}

function parse(result: CliResult): OutLine[] {
  return lines(result.stdout).map((line) => {
    try {
      return JSON.parse(line) as OutLine;
    } catch {
      throw new Error(`stdout line is not JSON: ${line}`);
    }
  });
}

describe('lapor chat --jsonl', () => {
  const dataDir = tempDataDir('lapor-chat-');
  let out: OutLine[];
  let run: CliResult;

  beforeAll(async () => {
    run = await runLapor(['chat', '--jsonl'], {
      dataDir,
      input: script(
        { from: '+628111', text: 'jalan berlubang di Kec. Kemangkon, Purbalingga' },
        'this is not json',
        { from: 5, text: 'from must be a string' },
        { from: '+628111', choice: 'confirm' },
        // A second citizen, interleaved: needs the place and a region choice typed as "2".
        { from: '+628222', text: 'listrik sering padam di desa kami' },
        { from: '+628222', text: 'di bogor' },
        { from: '+628222', text: '2' },
        { from: '+628222', text: '1' },
        { from: '+628111', text: 'status LPR-123' },
      ),
    });
    out = parse(run);
  }, TIMEOUT);

  it('exits cleanly when stdin ends', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('files a report from a one-message complaint and returns its tracking ID', () => {
    const first = out[0];
    expect(first?.to).toBe('+628111');
    expect(first?.text).toContain('Kec. Kemangkon, Kab. Purbalingga');
    expect(first?.choices?.map((c) => c.id)).toEqual([
      'confirm',
      'confirm:rahasia',
      'confirm:anonim',
      'edit',
      'cancel',
    ]);
    const filed = out.find((l) => l.to === '+628111' && TRACKING_ID.test(l.text ?? ''));
    expect(filed?.text).toContain('Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Purbalingga');
    expect(filed?.choices).toEqual([]);
  });

  it('answers a bad JSON line with one error line and carries on', () => {
    expect(out[1]).toEqual({ error: expect.stringMatching(/^bad input line: /) });
    expect(out[2]).toEqual({ error: 'bad input line: "from" must be a non-empty string' });
    // The session went on: the confirm after the bad lines filed the report.
    expect(out[3]?.to).toBe('+628111');
    expect(out[3]?.text).toMatch(TRACKING_ID);
  });

  it('keeps conversations apart and maps a typed "2" to the second region offered', () => {
    const second = out.filter((l) => l.to === '+628222');
    const regions = second.find((l) => l.choices?.some((c) => c.id.startsWith('region:')));
    expect(regions?.choices?.map((c) => c.label)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Kab\. Bogor/), expect.stringMatching(/^Kota Bogor/)]),
    );
    const picked = regions?.choices?.[1]?.label.split(',')[0] ?? '';
    const summary = second.find((l) => l.choices?.some((c) => c.id === 'confirm'));
    expect(summary?.text).toContain(picked);
    expect(second.at(-1)?.text).toMatch(TRACKING_ID);
  });

  it('answers a status query with a bad ID', () => {
    const last = out.at(-1);
    expect(last?.to).toBe('+628111');
    expect(last?.text).toContain('"LPR-123"');
  });

  it(
    'a later session on the same DATA_DIR finds the filed report by its ID',
    async () => {
      const filed = out.find((l) => l.to === '+628111' && TRACKING_ID.test(l.text ?? ''));
      const trackingId = TRACKING_ID.exec(filed?.text ?? '')?.[0];
      expect(trackingId).toBeDefined();
      const later = await runLapor(['chat', '--jsonl'], {
        dataDir,
        input: script({ from: '+628111', text: `cek status laporan saya ${trackingId?.toLowerCase()}` }),
      });
      expect(later.code).toBe(0);
      const replies = parse(later);
      expect(replies).toHaveLength(1);
      expect(replies[0]?.to).toBe('+628111');
      expect(replies[0]?.text).toContain(trackingId);
      expect(replies[0]?.text).toContain('Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Purbalingga');
    },
    TIMEOUT,
  );
});
