// A drive unplugged in the middle of formatting, played by `losetup -d` on a scratch loop device
// between two steps: a clear DRIVE_GONE, and the same drive (its file attached again) formats fine.
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyDrives } from '../../../electron/drives/busy.ts';
import { formatDrives, type FormatStep } from '../../../electron/drives/format.ts';
import { makeScratch } from '../../helpers/scratch.ts';
import { attachOwn, backingOf, blkid, destroyPoolsOn, detachAllOwn, detachOwn, failure, labLoop, privateHome, registerLab } from './helpers.ts';
import { zfsCmd } from '../../helpers/zfs-cmd.ts';

const scratch = makeScratch('drvgone');
const home = privateHome('drvgone');
const all: string[] = [];

async function reattach(name: string): Promise<string> {
  const file = backingOf(scratch, name);
  const dev = await attachOwn(file);
  all.push(dev);
  await registerLab(dev, file, name, scratch.dir);
  return dev;
}

function unplugAfter(step: FormatStep, target: string) {
  return async (s: FormatStep, device: string) => {
    if (s === step && device === target) await detachOwn(target);
  };
}

let one: string, two: string, three: string;

beforeAll(async () => {
  one = await labLoop(scratch, 'gone1');
  two = await labLoop(scratch, 'gone2');
  three = await labLoop(scratch, 'gone3');
  all.push(one, two, three);
});

afterAll(async () => {
  await destroyPoolsOn(all);
  await detachAllOwn();
  await scratch.cleanup();
  home.restore();
});

describe('DRIVE_GONE mid-format (losetup -d)', () => {
  it('ext4: detached after the wipe → DRIVE_GONE naming the step; attached again → formats', async () => {
    const e = await failure(formatDrives({ devices: [one], layout: 'ext4', label: 'T7', yes: true }, { afterStep: unplugAfter('wipe', one) }));
    expect(e.code).toBe('DRIVE_GONE');
    expect(e.message).toMatch(new RegExp(`${one} was disconnected while RoundTrip Bench was at the "partition" step`));
    expect(busyDrives()).toEqual([]);

    const again = await reattach('gone1');
    const r = await formatDrives({ devices: [again], layout: 'ext4', label: 'T7', yes: true });
    expect(r.dryRun).toBe(false);
    expect(await blkid(`${again}p2`)).toMatchObject({ TYPE: 'ext4', LABEL: 'T7' });
  });

  it('zfs stripe: one drive detached before the pool is made → DRIVE_GONE, no pool left; both attached again → formats', async () => {
    const e = await failure(
      formatDrives({ devices: [two, three], layout: 'zfs', label: 'T8', yes: true }, { afterStep: unplugAfter('metadata-fs', three) }),
    );
    expect(e.code).toBe('DRIVE_GONE');
    expect(e.message).toContain(three);
    expect((await zfsCmd('zpool', ['list', '-H', '-o', 'name'])).stdout).not.toMatch(/rt_T8_/);

    const back = await reattach('gone3');
    // The half-formatted drive shows what is on it; erasing it again needs the data confirmation.
    const needs = await failure(formatDrives({ devices: [two, back], layout: 'zfs', label: 'T8', yes: true }));
    expect(needs.code).toBe('DRIVE_NEEDS_CONFIRMATION');
    const r = await formatDrives({ devices: [two, back], layout: 'zfs', label: 'T8', yes: true, confirmData: true });
    expect(r.dryRun).toBe(false);
    if (r.dryRun) return;
    const status = (await zfsCmd('zpool', ['status', r.pool!.name])).stdout;
    expect(status).toMatch(/state: ONLINE/);
    expect(status).toContain(`${back.slice(5)}p2`);
  });
});
