/**
 * A small CSV reader for the idn-area-data files. They are plain RFC 4180 (quoted fields only where
 * a name contains a comma or a quote), and a hand-written loop parses the 84k villages several times
 * faster than a general-purpose parser, which keeps start-up time low.
 */

/**
 * Calls `onRow` with the cells of every non-blank line of CSV text, the header included. Handles
 * quoted fields, doubled quotes inside them, and CRLF line ends. Each row is a fresh array.
 */
export function forEachCsvRow(text: string, onRow: (cells: string[]) => void): void {
  let field = '';
  let row: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text.charCodeAt(i);
    if (ch === 34 /* " */ && field.length === 0) {
      // Quoted field: read up to the closing quote, turning "" into ".
      i++;
      let start = i;
      let value = '';
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) {
          value += text.slice(start);
          i = n;
          break;
        }
        if (text.charCodeAt(q + 1) === 34) {
          value += `${text.slice(start, q)}"`;
          i = q + 2;
          start = i;
          continue;
        }
        value += text.slice(start, q);
        i = q + 1;
        break;
      }
      field = value;
      continue;
    }
    if (ch === 44 /* , */) {
      row.push(field);
      field = '';
      i++;
      continue;
    }
    if (ch === 10 /* \n */ || ch === 13 /* \r */) {
      row.push(field);
      if (row.length > 1 || row[0] !== '') onRow(row);
      row = [];
      field = '';
      i += ch === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
      continue;
    }
    // Plain run of characters up to the next delimiter.
    let end = i + 1;
    while (end < n) {
      const c = text.charCodeAt(end);
      if (c === 44 || c === 10 || c === 13) break;
      end++;
    }
    field += text.slice(i, end);
    i = end;
  }
  if (field.length > 0 || row.length > 0) {
    row.push(field);
    onRow(row);
  }
}

/**
 * Parses CSV text with a header row into objects keyed by the header names. Handles quoted fields,
 * doubled quotes inside them, and CRLF line ends. Blank lines are skipped.
 */
export function parseCsv(text: string): Record<string, string>[] {
  let header: string[] | undefined;
  const out: Record<string, string>[] = [];
  forEachCsvRow(text, (cells) => {
    if (!header) {
      header = cells;
      return;
    }
    const record: Record<string, string> = {};
    for (let c = 0; c < header.length; c++) record[header[c]!] = cells[c] ?? '';
    out.push(record);
  });
  return out;
}

/**
 * The `code` and `name` columns of an area file, as two parallel arrays: no object per row,
 * which keeps the transient memory of reading the 84k villages low. Missing columns give [].
 */
export function readAreaColumns(text: string): { code: string[]; name: string[] } {
  const code: string[] = [];
  const name: string[] = [];
  let codeAt = -1;
  let nameAt = -1;
  let first = true;
  forEachCsvRow(text, (cells) => {
    if (first) {
      first = false;
      codeAt = cells.indexOf('code');
      nameAt = cells.indexOf('name');
      return;
    }
    if (codeAt < 0 || nameAt < 0) return;
    code.push(cells[codeAt] ?? '');
    name.push(cells[nameAt] ?? '');
  });
  return { code, name };
}
