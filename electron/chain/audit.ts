// The offsite side from an imported audit list, when no ZFS host can be asked: CSV or JSON rows of
// (system, point time, size). The caller reads the file (hosts/verbs/site-flags.ts); this turns
// its text into points. Audit
// points carry no GUID, so they are matched to local points by name, i.e. by their epoch seconds.
import { z } from 'zod';
import { AppError } from '../api/errors.ts';
import { sortedPoints } from './points.ts';
import type { Point, SystemInventory } from './types.ts';
import { GB, GiB, KB, MB, MiB, TB } from './units.ts';

export interface OffsiteAudit {
  /** Points per system, oldest first. */
  systems: Record<string, Point[]>;
  rows: number;
  warnings: string[];
}

const UNITS: Record<string, number> = {
  b: 1, k: KB, kb: KB, m: MB, mb: MB, g: GB, gb: GB, t: TB, tb: TB,
  kib: 1024, mib: MiB, gib: GiB, tib: 1024 * GiB,
};

/** Epoch seconds from epoch seconds, epoch milliseconds (13 digits), or an ISO date / date-time (UTC unless it says otherwise). */
export function parseAuditTime(v: unknown): number | undefined {
  if (typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v)) v = Number(v);
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return Math.floor(v >= 1e11 ? v / 1000 : v);
  if (typeof v === 'string') {
    const s = v.trim();
    if (!/^\d{4}-\d{2}-\d{2}/.test(s)) return undefined;
    const zoned = /([zZ]|[+-]\d{2}:?\d{2})$/.test(s) || s.length === 10;
    const ms = Date.parse(zoned ? s : `${s.replace(' ', 'T')}Z`);
    return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
  }
  return undefined;
}

/** Bytes from a number or a string such as "1234", "12.5 GB" or "3 TiB"; decimal units unless "iB". Empty → null. */
export function parseAuditSize(v: unknown): number | null | undefined {
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) return null;
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? Math.round(v) : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(v.replace(/,/g, ''));
  if (!m) return undefined;
  const unit = m[2] === '' ? 1 : UNITS[m[2].toLowerCase()];
  return unit === undefined ? undefined : Math.round(Number(m[1]) * unit);
}

const HEADERS: Record<'system' | 'time' | 'size', string[]> = {
  system: ['system', 'systemname', 'protectedsystem', 'agent', 'share', 'asset', 'hostname'],
  time: ['time', 'pointtime', 'point', 'snapshot', 'snapshottime', 'epoch', 'timestamp', 'recoverypoint', 'date'],
  size: ['size', 'sizebytes', 'bytes', 'pointsize', 'used', 'usedbytes'],
};

function splitCsv(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

interface RawRow {
  line: number;
  system: unknown;
  time: unknown;
  size: unknown;
}

function csvRows(text: string): RawRow[] {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = firstLine.includes(',') ? ',' : firstLine.includes(';') ? ';' : firstLine.includes('\t') ? '\t' : ',';
  const rows = splitCsv(text, delimiter);
  if (rows.length === 0) return [];
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const header = rows[0].map(norm);
  const col = (key: keyof typeof HEADERS) => header.findIndex((h) => HEADERS[key].includes(h));
  let cols = { system: col('system'), time: col('time'), size: col('size') };
  let start = 1;
  if (cols.system === -1 || cols.time === -1) {
    // No header naming the columns: read them in the documented order system, time, size.
    // A first row whose second field is no time is a header we do not understand, not data.
    const looksLikeHeader = header.some((h) => Object.values(HEADERS).some((names) => names.includes(h))) || parseAuditTime(rows[0][1]?.trim()) === undefined;
    if (looksLikeHeader) {
      throw new AppError('BAD_INPUT', 'The offsite audit list needs a "system" column and a "point time" column.', { hint: 'Columns: system, point time, size.' });
    }
    cols = { system: 0, time: 1, size: 2 };
    start = 0;
  }
  const out: RawRow[] = [];
  for (let i = start; i < rows.length; i++) {
    const r = rows[i];
    out.push({ line: i + 1, system: r[cols.system]?.trim(), time: r[cols.time]?.trim(), size: cols.size >= 0 ? r[cols.size]?.trim() : undefined });
  }
  return out;
}

const value = z.union([z.number(), z.string(), z.null()]).optional();
const JsonRow = z.object({ system: z.string().optional(), time: value, pointTime: value, point: value, size: value, sizeBytes: value, bytes: value });
const JsonDoc = z.union([
  z.array(JsonRow),
  z.object({ points: z.array(JsonRow) }),
  z.object({ systems: z.record(z.string(), z.array(JsonRow)) }),
]);

function jsonRows(text: string): RawRow[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new AppError('BAD_INPUT', 'The offsite audit list is not valid JSON.', { detail: String(e) });
  }
  const parsed = JsonDoc.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('BAD_INPUT', 'The offsite audit list is not a list of rows with a system, a point time and a size.', {
      detail: issue ? `${issue.path.join('.')}: ${issue.message}` : undefined,
      hint: 'Use [{"system": "...", "time": 1700000000, "size": 123}] or {"systems": {"name": [{"time": ..., "size": ...}]}}.',
    });
  }
  const d = parsed.data;
  const list: Array<{ system?: string; row: z.infer<typeof JsonRow> }> = Array.isArray(d)
    ? d.map((row) => ({ row }))
    : 'points' in d
      ? d.points.map((row) => ({ row }))
      : Object.entries(d.systems).flatMap(([system, rows]) => rows.map((row) => ({ system, row })));
  return list.map(({ system, row }, i) => ({
    line: i + 1,
    system: row.system ?? system,
    time: row.time ?? row.pointTime ?? row.point,
    size: row.size ?? row.sizeBytes ?? row.bytes,
  }));
}

export function parseOffsiteAudit(text: string, kind?: 'csv' | 'json'): OffsiteAudit {
  if (typeof text !== 'string') throw new AppError('BAD_INPUT', 'The offsite audit list is empty.');
  const body = text.replace(/^\uFEFF/, '');
  const asJson = kind ? kind === 'json' : /^\s*[[{]/.test(body);
  const raw = asJson ? jsonRows(body) : csvRows(body);
  const where = (r: RawRow) => (asJson ? `Entry ${r.line}` : `Line ${r.line}`);
  // No prototype: system names come from a file and must not collide with Object's own keys.
  const systems: Record<string, Point[]> = Object.create(null);
  const seen = new Set<string>();
  let duplicates = 0;
  for (const r of raw) {
    const system = typeof r.system === 'string' ? r.system.trim() : '';
    if (!system) throw new AppError('BAD_INPUT', `${where(r)} of the offsite audit list has no system.`, { data: { line: r.line } });
    const time = parseAuditTime(r.time);
    if (time === undefined) {
      throw new AppError('BAD_INPUT', `${where(r)} of the offsite audit list: "${String(r.time ?? '')}" is not a point time (epoch seconds or a date).`, { data: { line: r.line } });
    }
    const size = parseAuditSize(r.size);
    if (size === undefined) {
      throw new AppError('BAD_INPUT', `${where(r)} of the offsite audit list: "${String(r.size)}" is not a size in bytes.`, { data: { line: r.line } });
    }
    const key = `${system}\u0000${time}`;
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    const p: Point = { name: String(time), time };
    if (size !== null) p.referencedBytes = size;
    (systems[system] ??= []).push(p);
  }
  for (const name of Object.keys(systems)) systems[name] = sortedPoints(systems[name]) as Point[];
  const warnings = duplicates > 0 ? [`${duplicates} repeated row(s) of the offsite audit list were read once.`] : [];
  return { systems, rows: raw.length, warnings };
}

/** The inventories with their offsite side replaced by the audit list's points. */
export function applyOffsiteAudit(inventories: readonly SystemInventory[], audit: OffsiteAudit): { inventories: SystemInventory[]; warnings: string[] } {
  const warnings = [...audit.warnings];
  const known = new Set(inventories.map((i) => i.system));
  const out = inventories.map((inv) => {
    const offsite = Object.prototype.hasOwnProperty.call(audit.systems, inv.system) ? audit.systems[inv.system] : undefined;
    if (!offsite) warnings.push(`${inv.system} is not in the offsite audit list; it is treated as having no offsite points, so its first point is sent in full.`);
    return { ...inv, offsite: offsite ?? [] };
  });
  const unknown = Object.keys(audit.systems).filter((s) => !known.has(s));
  if (unknown.length > 0) warnings.push(`The offsite audit list names ${unknown.length} system(s) this appliance does not protect: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}.`);
  return { inventories: out, warnings };
}
