// Parsing of zfs/zpool text output. zfs-fuse has no `list -p`, so numbers come from
// `zfs get -Hp` (exact) and, for pools, from abbreviated sizes (approximate) where nothing better exists.

const SUFFIX: Record<string, number> = { '': 1, B: 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40, P: 2 ** 50, E: 2 ** 60 };

/** "195M" → bytes (binary units, as zfs prints them). "-" → undefined. */
export function parseZfsSize(text: string): number | undefined {
  const t = text.trim();
  if (t === '-' || t === '' || t === 'none') return undefined;
  const m = /^([0-9]+(?:\.[0-9]+)?)([BKMGTPE]?)$/.exec(t);
  if (!m) return undefined;
  return Math.round(parseFloat(m[1]) * SUFFIX[m[2]]);
}

export interface GetRow {
  name: string;
  property: string;
  value: string;
}

/** Output of `zfs get -Hp -o name,property,value ...` */
export function parseGetRows(stdout: string): GetRow[] {
  const rows: GetRow[] = [];
  for (const line of stdout.split('\n')) {
    if (!line) continue;
    const [name, property, ...rest] = line.split('\t');
    rows.push({ name, property, value: rest.join('\t') });
  }
  return rows;
}

/** Rows grouped by dataset name, in first-seen order. */
export function groupRows(rows: GetRow[]): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const r of rows) {
    let o = out.get(r.name);
    if (!o) out.set(r.name, (o = {}));
    o[r.property] = r.value;
  }
  return out;
}

export function num(v: string | undefined): number | undefined {
  if (v === undefined || v === '-' || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : parseZfsSize(v);
}
