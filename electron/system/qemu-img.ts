// qemu-img: converting a raw volume image into raw, VHD (`vpc`), VHDX or VMDK, and checking the
// result (`compare` against the source; `check` where the format supports it — raw and VHD do not).
import { AppError } from '../api/errors.ts';
import { run, spawnTool, stderrText } from './run.ts';

export type QemuFormat = 'raw' | 'vpc' | 'vhdx' | 'vmdk';

/** Formats whose images `qemu-img check` can examine. */
export const CHECKABLE: ReadonlySet<QemuFormat> = new Set(['vhdx', 'vmdk']);

/** Options per output format: VHD keeps the exact size (no CHS rounding), which Hyper-V and Azure expect. */
function createOptions(fmt: QemuFormat): string[] {
  return fmt === 'vpc' ? ['-o', 'force_size=on'] : [];
}

export function convertArgs(src: string, dst: string, fmt: QemuFormat, opts: { progress?: boolean } = {}): string[] {
  return ['convert', ...(opts.progress ? ['-p'] : []), '-f', 'raw', '-O', fmt, ...createOptions(fmt), src, dst];
}

const EXPECT = [
  { match: /No space left on device/i, code: 'TARGET_FULL' as const, message: 'The unit is full: the image does not fit.' },
  { match: /Input\/output error|Transport endpoint is not connected/i, code: 'TARGET_GONE' as const, message: 'The unit stopped answering while the image was written.' },
];

/**
 * `qemu-img convert -p` with its progress read from stdout ("(12.50/100%)"), reported as a fraction.
 * Cancelling the signal stops qemu-img.
 */
export async function qemuConvert(src: string, dst: string, fmt: QemuFormat, opts: { signal?: AbortSignal; onFraction?: (f: number) => void } = {}): Promise<void> {
  const child = spawnTool('qemu-img', convertArgs(src, dst, fmt, { progress: true }), { op: `write ${dst} as ${fmt}`, signal: opts.signal, stdin: 'ignore' });
  child.stdout?.on('data', (b: Buffer) => {
    const all = [...b.toString('latin1').matchAll(/\(([\d.]+)\/100%\)/g)];
    if (all.length) opts.onFraction?.(Number(all[all.length - 1][1]) / 100);
  });
  const r = await child;
  if (opts.signal?.aborted) throw new AppError('CANCELLED', `Cancelled while writing ${dst}.`);
  if (r.exitCode !== 0) {
    const text = stderrText(r.stderr);
    for (const e of EXPECT) if (e.match.test(text)) throw new AppError(e.code, e.message, { detail: text.trim() });
    throw new AppError('TOOL_FAILED', `qemu-img could not write the ${fmt} image ${dst}.`, { detail: text.trim() });
  }
}

/** True when both images hold the same content (`qemu-img compare`: 0 same, 1 different, 2 error). */
export async function qemuCompare(a: string, aFmt: QemuFormat, b: string, bFmt: QemuFormat, signal?: AbortSignal): Promise<{ same: boolean; detail: string }> {
  const r = await run('qemu-img', ['compare', '-f', aFmt, '-F', bFmt, a, b], { op: `compare ${b} with ${a}`, okCodes: [1], signal });
  return { same: r.exitCode === 0, detail: `${r.stdout}\n${r.stderr}`.trim() };
}

/** `qemu-img check`: null when the format has no check; otherwise whether it found no error. */
export async function qemuCheck(img: string, fmt: QemuFormat, signal?: AbortSignal): Promise<{ ok: boolean; detail: string } | null> {
  if (!CHECKABLE.has(fmt)) return null;
  const r = await run('qemu-img', ['check', '-f', fmt, img], { op: `check ${img}`, okCodes: [2, 3], signal });
  // 3 = leaked clusters only: wasted space, the data is intact.
  return { ok: r.exitCode === 0 || r.exitCode === 3, detail: `${r.stdout}\n${r.stderr}`.trim() };
}

/**
 * An empty image of `fmt` and `virtualBytes`, created with the same options `qemu-img convert`
 * uses for the unit's images (VHD `force_size=on`): what an export costs before any data.
 */
export async function qemuCreateEmpty(path: string, fmt: QemuFormat, virtualBytes: number, signal?: AbortSignal): Promise<void> {
  await run('qemu-img', ['create', '-q', '-f', fmt, ...createOptions(fmt), path, String(virtualBytes)], { op: `create an empty ${fmt} image ${path}`, signal });
}

/** `qemu-img info --output=json`: the image's format, virtual size and cluster (block) size. */
export async function qemuInfo(img: string, fmt: QemuFormat, signal?: AbortSignal): Promise<{ format: string; virtualBytes: number; clusterBytes: number | null }> {
  const r = await run('qemu-img', ['info', '--output=json', '-f', fmt, img], { op: `read the header of ${img}`, signal });
  let j: { format?: unknown; 'virtual-size'?: unknown; 'cluster-size'?: unknown };
  try {
    j = JSON.parse(r.stdout);
  } catch (e) {
    throw new AppError('TOOL_FAILED', `qemu-img info gave no readable answer for ${img}.`, { detail: r.stdout.slice(0, 2000), cause: e });
  }
  return {
    format: String(j.format ?? fmt),
    virtualBytes: Number(j['virtual-size'] ?? 0),
    clusterBytes: typeof j['cluster-size'] === 'number' ? j['cluster-size'] : null,
  };
}

/**
 * The ranges of a raw image that may hold data (`qemu-img map`: the file's holes, which
 * `qemu-img convert` never reads, are left out), as [start, end) byte offsets in order.
 */
export async function qemuDataExtents(img: string, signal?: AbortSignal): Promise<Array<[number, number]>> {
  const r = await run('qemu-img', ['map', '--output=json', '-f', 'raw', img], { op: `map the data of ${img}`, signal });
  let list: Array<{ start: number; length: number; data?: boolean; zero?: boolean }>;
  try {
    list = JSON.parse(r.stdout);
  } catch (e) {
    throw new AppError('TOOL_FAILED', `qemu-img map gave no readable answer for ${img}.`, { detail: r.stdout.slice(0, 2000), cause: e });
  }
  const out: Array<[number, number]> = [];
  for (const x of list) {
    if (!x.data || x.zero) continue;
    const last = out[out.length - 1];
    if (last && last[1] === x.start) last[1] = x.start + x.length;
    else out.push([x.start, x.start + x.length]);
  }
  return out;
}
