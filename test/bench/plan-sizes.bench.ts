// How far the plan's size is from what the sync writes, per format, on a lab of the bench's own:
// each ticket is planned (`planForTicket`, exact measuring on) and then synced onto a blank
// loop-device drive, and the absolute error is given in percent:
//  - size_estimate_error_pct_zfs: a forward RoundTrip of every system (the agents from their lock,
//    the share in full), plan `totalBytes` against the sync's `bytes` (both include the lock point
//    the unit carries in full), as in test/integration/jobs/zfs-sync.zfs-fuse.test.ts;
//  - size_estimate_error_pct_ntfs / _ext4: browsable revRT copies (NTFS: the three agents, the
//    encrypted one with its passphrase; EXT4: the Windows agent and two points of the Linux agent);
//  - size_estimate_error_pct_image: image revRTs of the three agents in raw, VHD, VHDX and VMDK, the
//    worst of the four (each also given on its own).
// For the file formats the plan's `dataBytes` (= totalBytes - overheadBytes) is compared: the
// sync's bytes are the files' bytes or the image files' sizes, without the layout model's
// filesystem overhead that totalBytes adds (1 % + 32 MiB per browsable point, 1 MiB per image).
import { execa } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labUp } from '../../electron/lab/build.ts';
import { labDown } from '../../electron/lab/down.ts';
import { labAgentPassphrase } from '../../electron/lab/passphrase.ts';
import { planForTicket } from '../../electron/jobs/plan-for-ticket.ts';
import { fileSyncRequestFor } from '../../electron/jobs/files/from-ticket.ts';
import { runFileSync } from '../../electron/jobs/files/sync.ts';
import { zfsSyncRequestFor } from '../../electron/jobs/zfs/from-ticket.ts';
import { runZfsSync } from '../../electron/jobs/zfs/sync.ts';
import { listSnapshots } from '../../electron/system/zfs/index.ts';
import { makeScratch } from '../helpers/scratch.ts';
import { blankDrives, createTicket } from '../helpers/units.ts';
import { fileTicket } from '../integration/files/helpers.ts';
import type { Figure } from './figure.ts';
import { zfsCmd } from '../helpers/zfs-cmd.ts';

const pct = (planned: number, written: number) => Math.round((Math.abs(planned - written) / written) * 100 * 1e4) / 1e4;

export async function figures(): Promise<Figure[]> {
  const prevHome = process.env.ROUNDTRIP_HOME;
  const dir = mkdtempSync(join(tmpdir(), 'rt-bench-plansizes-'));
  process.env.ROUNDTRIP_HOME = join(dir, 'home');
  const labDir = join(dir, 'lab');
  const s = makeScratch('bench-plansizes');
  const zfsTicket = '3200001';
  try {
    const { state } = await labUp({ dir: labDir });
    const sites = { appliance: state.appliancePool, offsite: state.offsitePool };
    const passphrases = { 'ENC-SQL01': labAgentPassphrase(state.id) };
    const out: Figure[] = [];

    // ZFS: the plan's total against the sync's bytes, as the ZFS sync test compares them.
    {
      const t = createTicket(state, zfsTicket, {
        systems: state.systems.map((x) => ({ name: x.name, points: x.offsiteDataset ? { kind: 'newer-than-lock' } : { kind: 'range', from: '2000-01-01', to: '2100-01-01' } })),
      });
      const plan = await planForTicket(t.request, sites);
      const drives = await blankDrives(s, 1);
      const r = await runZfsSync(await zfsSyncRequestFor(t.id, t.request, sites, drives, { actor: 'bench' }));
      out.push({ name: 'size_estimate_error_pct_zfs', value: pct(plan.totalBytes, r.bytes), unit: 'pct' });
    }

    // NTFS / EXT4 / images: the plan's data bytes against the sync's bytes.
    const fileCase = async (number: string, over: Record<string, unknown>) => {
      const t = fileTicket(number, over);
      const plan = await planForTicket(t.request, sites, { passphrases });
      if (plan.estimated) throw new Error(`the plan of ticket ${number} is still an estimate: ${plan.systems.flatMap((x) => x.notes).join(' ')}`);
      const drives = await blankDrives(s, 1);
      const r = await runFileSync(await fileSyncRequestFor(t.id, t.request, sites, drives, { passphrases, verify: false, actor: 'bench' }));
      return pct(plan.dataBytes, r.bytes);
    };
    const agents = ['WIN-FS01', 'LNX-WEB01', 'ENC-SQL01'];
    out.push({
      name: 'size_estimate_error_pct_ntfs',
      value: await fileCase('3200002', { format: { filesystem: 'ntfs', layout: 'browsable' }, systems: agents.map((name) => ({ name, points: { kind: 'latest' } })) }),
      unit: 'pct',
    });
    const lnx = (await listSnapshots(`${state.offsitePool}/LNX-WEB01`)).map((x) => x.snap);
    out.push({
      name: 'size_estimate_error_pct_ext4',
      value: await fileCase('3200003', {
        format: { filesystem: 'ext4', layout: 'browsable' },
        systems: [
          { name: 'WIN-FS01', points: { kind: 'latest' } },
          { name: 'LNX-WEB01', points: { kind: 'range', from: lnx.at(-2), to: lnx.at(-1) } },
        ],
      }),
      unit: 'pct',
    });
    const perFormat: Figure[] = [];
    for (const [i, [format, fs]] of ([['raw', 'ext4'], ['vhd', 'ntfs'], ['vhdx', 'ext4'], ['vmdk', 'ntfs']] as const).entries()) {
      const value = await fileCase(`320001${i}`, { format: { filesystem: fs, layout: 'image', imageFormat: format }, systems: agents.map((name) => ({ name, points: { kind: 'latest' } })) });
      perFormat.push({ name: `size_estimate_error_pct_image_${format}`, value, unit: 'pct' });
    }
    out.push({ name: 'size_estimate_error_pct_image', value: Math.max(...perFormat.map((f) => f.value)), unit: 'pct' }, ...perFormat);
    return out;
  } finally {
    // A ZFS unit pool left imported by a failed sync: ours by its name, destroyed before its loop goes.
    const pools = (await zfsCmd('zpool', ['list', '-H', '-o', 'name'], { reject: false })).stdout.split('\n');
    for (const p of pools.filter((p) => p.startsWith(`rt_${zfsTicket}_`))) await zfsCmd('zpool', ['destroy', '-f', p], { reject: false });
    await s.cleanup();
    await labDown({ dir: labDir }).catch(() => {});
    if (prevHome === undefined) delete process.env.ROUNDTRIP_HOME;
    else process.env.ROUNDTRIP_HOME = prevHome;
    rmSync(dir, { recursive: true, force: true });
  }
}
