// Names NTFS (as Windows reads it) cannot hold, mapped reversibly. A Linux or share source may name
// a file `a:b`, `CON`, `x.` or `what?`; Windows refuses those, and ntfs-3g mounted with
// `windows_names` refuses them too. Each such character becomes `%XX` (its UTF-8 bytes in hex), and
// `%` itself always becomes `%25`, so `unmapNtfsName` restores the original from the name alone.
// Names that would still not fit (over 255 UTF-16 units once escaped) and names that differ only in
// case from a sibling (Windows treats them as one) get a suffix; the manifest lists every name that
// changed with its original, so no name is ever lost.
// Pure: no node:* imports, so the renderer can show the mapping too.

/** Characters Windows refuses in a name, plus `%`, our escape character. */
const ILLEGAL = /[\u0000-\u001f"*:<>?\\|%]/g;
const RESERVED = /^(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])(\..*)?$/i;
export const NTFS_NAME_MAX = 255;

function escapeChar(c: string): string {
  return Array.from(new TextEncoder().encode(c), (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

/** The name as NTFS can hold it, reversible by `unmapNtfsName` (long names aside: see `fitNtfsName`). */
export function mapNtfsName(name: string): string {
  let out = name.replace(ILLEGAL, escapeChar);
  // Reserved device names, with or without an extension: escape the last letter of the stem.
  const m = RESERVED.exec(out);
  if (m) out = m[1].slice(0, -1) + escapeChar(m[1].slice(-1)) + (m[2] ?? '');
  // Trailing dots and spaces are silently dropped by Windows: escape each of them.
  const t = /[. ]+$/.exec(out);
  if (t) out = out.slice(0, t.index) + Array.from(t[0], escapeChar).join('');
  return out;
}

/** Inverse of `mapNtfsName`: every `%XX` run back to its UTF-8 bytes. */
export function unmapNtfsName(mapped: string): string {
  return mapped.replace(/(?:%[0-9A-F]{2})+/g, (run) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(run.slice(i * 3 + 1, i * 3 + 3), 16);
    return new TextDecoder().decode(bytes);
  });
}

/** A short, stable tag for a name (FNV-1a, 32 bits): enough to tell siblings apart. */
function tag(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

function splitExt(name: string): [string, string] {
  const i = name.lastIndexOf('.');
  return i > 0 && name.length - i <= 16 ? [name.slice(0, i), name.slice(i)] : [name, ''];
}

/** Shortens an escaped name that exceeds NTFS's 255 UTF-16 units: stem cut, `~tag`, extension kept. */
export function fitNtfsName(mapped: string, original: string): string {
  if (mapped.length <= NTFS_NAME_MAX) return mapped;
  const [stem, ext] = splitExt(mapped);
  let cut = stem.slice(0, NTFS_NAME_MAX - ext.length - 9);
  // Never cut an escape in half: it would unmap to a different character.
  cut = cut.replace(/%[0-9A-F]?$/, '');
  return `${cut}~${tag(original)}${ext}`;
}

/**
 * Names for the entries of one directory on an NTFS unit: every name mapped, shortened when too
 * long, and made unique ignoring case. Returns the unit name per original name, in input order.
 */
export function ntfsNamesForDirectory(names: readonly string[]): string[] {
  const taken = new Set<string>();
  const out: string[] = [];
  for (const n of names) {
    let u = fitNtfsName(mapNtfsName(n), n);
    if (taken.has(u.toLowerCase())) {
      const [stem, ext] = splitExt(u);
      for (let i = 2; ; i++) {
        const candidate = `${stem.slice(0, NTFS_NAME_MAX - ext.length - 12)}~${i}${ext}`;
        if (!taken.has(candidate.toLowerCase())) {
          u = candidate;
          break;
        }
      }
    }
    taken.add(u.toLowerCase());
    out.push(u);
  }
  return out;
}

/** Folder name of a point on a unit: its UTC time, with no character NTFS refuses (`2024-03-01T120000Z`). */
export function pointFolderName(point: string, time: number): string {
  const iso = new Date(time * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '');
  // A point not named by its epoch time keeps its name beside the time.
  return /^\d{9,11}$/.test(point) ? iso : `${iso}_${mapNtfsName(point)}`;
}
