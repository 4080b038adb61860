// Kept-unit check 3: image export — the chosen point's volume image converted to VHD (qemu's "vpc",
// with force_size so the virtual size stays exact) and VMDK, each proven equal to the point's image
// by `qemu-img compare` (qemu-img check cannot read VHD). The exports are scratch: removed after.
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { toAppError } from '../api/errors.ts';
import type { SystemMeta } from '../appliance/system-meta.ts';
import { run } from '../system/run.ts';
import type { KeptCheck } from './kept-types.ts';
import { scratchDir } from './point-files.ts';

const FORMATS = [
  { name: 'VHD', qemu: 'vpc', ext: 'vhd', opts: ['-o', 'force_size=on'] },
  { name: 'VMDK', qemu: 'vmdk', ext: 'vmdk', opts: [] as string[] },
];

export async function checkImageExport(pointDir: string, what: { system: string; point: string; meta: SystemMeta | null; volume?: string; signal?: AbortSignal }): Promise<KeptCheck> {
  const check: KeptCheck = { id: 'image-export', title: 'Image export to VHD and VMDK', status: 'passed', summary: '', evidence: [] };
  const label = `${what.system} @ ${what.point}`;
  const v = what.meta?.volumes.find((x) => !what.volume || x.name === what.volume);
  if (!v) {
    check.status = 'not-available';
    check.summary = `${label} has no volume image to export (a share is exported as files).`;
    return check;
  }
  const image = join(pointDir, v.file);
  const out = scratchDir('export');
  const passed: string[] = [];
  try {
    for (const f of FORMATS) {
      const target = join(out, `${v.name}.${f.ext}`);
      try {
        await run('qemu-img', ['convert', '-f', 'raw', '-O', f.qemu, ...f.opts, image, target], { op: `export ${v.file} as ${f.name}`, signal: what.signal });
        const info = JSON.parse((await run('qemu-img', ['info', '--output=json', '-f', f.qemu, target], { op: `read the ${f.name} export` })).stdout) as { 'virtual-size': number };
        const cmp = await run('qemu-img', ['compare', '-f', 'raw', '-F', f.qemu, image, target], { op: `compare the ${f.name} export with the point`, okCodes: [1] });
        const same = cmp.exitCode === 0 && info['virtual-size'] === statSync(image).size;
        check.evidence.push(
          `${f.name}: virtual size ${info['virtual-size']} bytes (image ${statSync(image).size}), file ${statSync(target).size} bytes; qemu-img compare: ${cmp.stdout.trim() || cmp.stderr.trim()}`,
        );
        if (same) passed.push(f.name);
        else check.status = 'failed';
      } catch (e) {
        check.status = 'failed';
        check.evidence.push(`${f.name}: ${toAppError(e).message}`);
      } finally {
        rmSync(target, { force: true });
      }
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  check.summary =
    check.status === 'passed'
      ? `Volume ${v.name} of ${label} exported as ${passed.join(' and ')}; each export is identical to the point's image.`
      : `The export of volume ${v.name} of ${label} failed for ${FORMATS.map((f) => f.name).filter((n) => !passed.includes(n)).join(' and ')}.`;
  return check;
}
