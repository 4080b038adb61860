// Kept-unit check 2: a file restore — the chosen point's volume is checked (e2fsck -n / ntfsfix -n,
// both read-only), mounted read-only, sample files are extracted to scratch space, and each copy is
// compared byte for byte (SHA-256) with the file in the point. The point itself is the one the
// contents check proved equal to what was sent (manifest digest), so a restored file equal to the
// point's file is equal to the source's.
import { createHash } from 'node:crypto';
import { copyFileSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { AppError, toAppError } from '../api/errors.ts';
import type { SystemMeta } from '../appliance/system-meta.ts';
import { run } from '../system/run.ts';
import type { KeptCheck } from './kept-types.ts';
import { scratchDir, withVolumeMounted } from './point-files.ts';

const SAMPLES = 5;

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Regular files under `dir`, sorted, skipping filesystem internals. */
function listFiles(dir: string, root = dir, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name === 'lost+found' || e.name.startsWith('$') || e.name === 'System Volume Information') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) listFiles(p, root, out);
    else if (e.isFile()) out.push(relative(root, p));
  }
  return out;
}

/** A spread of files: the first, the last and evenly between, so a restore touches the whole tree. */
export function pickSamples(files: string[], n = SAMPLES): string[] {
  if (files.length <= n) return files;
  return Array.from({ length: n }, (_, i) => files[Math.round((i * (files.length - 1)) / (n - 1))]);
}

async function fsck(image: string, fs: 'ext4' | 'ntfs'): Promise<string> {
  if (fs === 'ext4') {
    const r = await run('e2fsck', ['-f', '-n', image], { op: `check the ext4 volume ${image}`, okCodes: [] });
    return `e2fsck -f -n: clean (${r.stdout.split('\n').filter(Boolean).at(-1) ?? 'no problems'})`;
  }
  const r = await run('ntfsfix', ['-n', image], { op: `check the NTFS volume ${image}` });
  const last = r.stdout.split('\n').filter((l) => /NTFS|consistent|OK/i.test(l)).slice(-1)[0] ?? 'no problems reported';
  // The scratch path means nothing to the partner: name the image file instead.
  return `ntfsfix -n: ${last.split(image).join(basename(image))}`;
}

export async function checkFileRestore(pointDir: string, what: { system: string; point: string; meta: SystemMeta | null; volume?: string }): Promise<KeptCheck> {
  const check: KeptCheck = { id: 'file-restore', title: 'File restore from a recovery point', status: 'passed', summary: '', evidence: [] };
  const label = `${what.system} @ ${what.point}`;
  try {
    if (!what.meta) throw new Error(`${label} carries no description (.roundtrip/system.json)`);
    if (what.meta.kind === 'share') {
      // A share's point is the files themselves.
      return await restoreFiles(check, pointDir, label, `share ${what.system}`);
    }
    const v = what.meta.volumes.find((x) => !what.volume || x.name === what.volume);
    if (!v) throw new Error(`${label} has no volume ${what.volume ?? ''}`.trim());
    const image = join(pointDir, v.file);
    check.evidence.push(`volume ${v.name} (${v.fs}), image ${v.file}, ${statSync(image).size} bytes`);
    check.evidence.push(await fsck(image, v.fs));
    return await withVolumeMounted(image, v.fs, (mnt) => restoreFiles(check, mnt, label, `volume ${v.name}`));
  } catch (e) {
    check.status = 'failed';
    check.summary = `Restoring files from ${label} failed: ${e instanceof AppError ? e.message : String((e as Error)?.message ?? e)}`;
    const d = toAppError(e).detail;
    if (d) check.evidence.push(d.split('\n').slice(0, 4).join(' | '));
    return check;
  }
}

async function restoreFiles(check: KeptCheck, mnt: string, label: string, where: string): Promise<KeptCheck> {
  const files = listFiles(mnt);
  const samples = pickSamples(files);
  if (samples.length === 0) throw new Error(`${where} of ${label} holds no files to restore`);
  const out = scratchDir('restore');
  try {
    let bad = 0;
    for (const [i, f] of samples.entries()) {
      const copy = join(out, `${i}-${f.replace(/[\\/]/g, '_')}`);
      copyFileSync(join(mnt, f), copy);
      const a = sha256(join(mnt, f));
      const b = sha256(copy);
      if (a !== b) bad++;
      check.evidence.push(`${f}: ${statSync(copy).size} bytes, sha256 ${b.slice(0, 16)}… ${a === b ? 'equals' : 'DIFFERS FROM'} the point's file`);
    }
    check.status = bad ? 'failed' : 'passed';
    check.summary = bad
      ? `${bad} of ${samples.length} restored file(s) from ${where} of ${label} differ from the point.`
      : `${samples.length} of ${files.length} file(s) restored from ${where} of ${label}, each identical to the point's file.`;
    return check;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
