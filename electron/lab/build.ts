// `lab up`: the practice site. An appliance pool with four protected systems and real points,
// an offsite pool made from them by real send/receive, and blank USB drives on loop devices.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppError } from '../api/errors.ts';
import { registerSite } from '../appliance/default-sites.ts';
import { registerDrives } from '../drives/registered-drives.ts';
import { attachLoop } from '../system/loop.ts';
import { makeSparseFile } from '../system/mkfs.ts';
import { createPool, destroy, listSnapshots, poolExists, sendReceive, setUserProp } from '../system/zfs/index.ts';
import { LAB_APPLIANCE_SERIAL, LAB_DRIVES, LAB_POOL_FILE_SIZE, LAB_SYSTEMS } from './config.ts';
import { scheduleFor } from './schedule.ts';
import { readState, writeState, type LabState } from './state.ts';
import { buildSystem } from './systems.ts';
import { resolveLabDir } from './lab-dir.ts';
import { labDown } from './down.ts';
import { labHealthy } from './status.ts';
import { TicketStore } from '../tickets/store.ts';
import { sampleTickets } from '../tickets/samples.ts';

export function labIdFor(dir: string): string {
  return createHash('sha256').update(resolve(dir)).digest('hex').slice(0, 6);
}

export interface LabUpOptions {
  dir?: string;
  /** Fixed "now" for the simulated history (epoch seconds); defaults to the current hour. */
  now?: number;
  onStep?: (step: string) => void;
}

export async function labUp(opts: LabUpOptions = {}): Promise<{ state: LabState; created: boolean }> {
  const dir = resolveLabDir(opts.dir);
  const step = opts.onStep ?? (() => {});
  const existing = readState(dir);
  if (existing) {
    if (existing.complete && (await labHealthy(existing))) {
      registerLabSite(existing); // a lab built before sites were registered gets its entry here
      return { state: existing, created: false };
    }
    step('an earlier lab is incomplete or broken: removing it first');
    await labDown({ dir });
  }
  const createdDir = !existsSync(dir);
  const id = labIdFor(dir);
  const now = opts.now ?? Math.floor(Date.now() / 1000 / 3600) * 3600;
  const state: LabState = {
    version: 1,
    id,
    dir,
    complete: false,
    createdDir,
    createdAt: new Date().toISOString(),
    appliancePool: `rtlab${id}app`,
    offsitePool: `rtlab${id}off`,
    applianceSerial: LAB_APPLIANCE_SERIAL,
    files: [],
    pools: [],
    loops: [],
    mounts: [],
    systems: [],
    tickets: [],
  };
  for (const p of [state.appliancePool, state.offsitePool]) {
    if (await poolExists(p)) throw new AppError('LAB_BROKEN', `A pool named ${p} already exists but this lab has no record of it; export or destroy it first.`);
  }
  mkdirSync(join(dir, 'work'), { recursive: true });
  writeState(state);
  const save = () => writeState(state);

  try {
    step('creating the appliance and offsite pools');
    for (const [pool, file, mnt] of [
      [state.appliancePool, join(dir, 'appliance.vdev'), join(dir, 'mnt', 'appliance')],
      [state.offsitePool, join(dir, 'offsite.vdev'), join(dir, 'mnt', 'offsite')],
    ]) {
      await makeSparseFile(file, LAB_POOL_FILE_SIZE);
      state.files.push(file);
      save();
      await createPool(pool, [file], { mountpoint: mnt });
      state.pools.push(pool);
      save();
    }
    await setUserProp(state.appliancePool, 'roundtrip:role', 'appliance');
    await setUserProp(state.appliancePool, 'roundtrip:serial', state.applianceSerial);
    await setUserProp(state.offsitePool, 'roundtrip:role', 'offsite');

    step('attaching blank USB drives');
    const drives = [];
    for (const d of LAB_DRIVES) {
      const file = join(dir, `${d.label}.img`);
      await makeSparseFile(file, d.size);
      state.files.push(file);
      save();
      const device = await attachLoop(file);
      state.loops.push({ device, file, label: d.label, sizeBytes: d.sizeBytes });
      save();
      drives.push({ device, backingFile: file, label: d.label, sizeBytes: d.sizeBytes, labDir: dir });
    }
    registerDrives(drives);

    const ctx = {
      pool: state.appliancePool,
      labId: state.id,
      workDir: join(dir, 'work'),
      trackMount(target: string, mounted: boolean) {
        state.mounts = state.mounts.filter((m) => m !== target);
        if (mounted) state.mounts.push(target);
        save();
      },
    };
    for (const spec of LAB_SYSTEMS) {
      const sched = scheduleFor(spec, now);
      step(`building ${spec.name}: ${sched.all.length} points`);
      const built = await buildSystem(spec, sched.all, ctx);

      let offsiteDataset: string | null = null;
      const offsiteTimes = sched.all.filter((t) => sched.offsite.has(t));
      if (offsiteTimes.length) {
        step(`replicating ${offsiteTimes.length} points of ${spec.name} offsite`);
        offsiteDataset = `${state.offsitePool}/${spec.name}`;
        let prev: string | undefined;
        for (const t of offsiteTimes) {
          await sendReceive(`${built.dataset}@${t}`, offsiteDataset, { from: prev, receive: { force: true } });
          prev = `${built.dataset}@${t}`;
        }
      }
      step(`thinning ${spec.name} by local retention`);
      for (const t of sched.all) if (!sched.local.has(t)) await destroy(`${built.dataset}@${t}`);

      state.systems.push({
        name: spec.name,
        kind: spec.kind,
        dataset: built.dataset,
        offsiteDataset,
        localPoints: (await listSnapshots(built.dataset)).length,
        offsitePoints: offsiteDataset ? (await listSnapshots(offsiteDataset)).length : 0,
      });
      save();
    }

    step('filing sample tickets');
    state.tickets = fileSampleTickets(state);
    state.complete = true;
    save();
    registerLabSite(state);
    writeFileSync(join(dir, 'README.txt'), 'A RoundTrip Bench practice lab. Remove it with "roundtrip lab down".\n');
    return { state, created: true };
  } catch (e) {
    save();
    throw e;
  }
}

/** The lab's pools as this bench's site for its appliance; the default lab is looked up first. */
function registerLabSite(state: LabState): void {
  const site = { applianceSerial: state.applianceSerial, appliance: state.appliancePool, offsite: state.offsitePool, owner: state.dir };
  registerSite(site, { first: state.dir === resolveLabDir() });
}

/** The sample tickets (one of each kind of job) on this bench's ticket store; kept if already there. */
function fileSampleTickets(state: LabState): LabState['tickets'] {
  const store = new TicketStore();
  const lab = {
    applianceSerial: state.applianceSerial,
    systems: state.systems.map((s) => ({ name: s.name, kind: s.kind, offsite: s.offsiteDataset !== null })),
  };
  return sampleTickets(lab).map((input) => {
    const t = store.find(String(input.ticketNumber)) ?? store.create(input, 'lab');
    return { id: t.id, title: `${t.request.direction} ${t.request.format.filesystem}/${t.request.format.layout}` };
  });
}
