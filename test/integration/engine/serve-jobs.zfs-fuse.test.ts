// A ZFS sync started through the engine's API over a real `roundtrip serve` WebSocket, by the
// renderer's own API client, on the shared lab: progress events with rising bytes, two clients
// seeing the same events, a client that goes away and a new one that finds the job running and
// follows it, a second job on the same drive refused naming the holder, and a cancel that leaves
// the source unchanged and nothing of the unit mounted.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { makeScratch, type Scratch } from '../../helpers/scratch.ts';
import { sharedLab } from '../../helpers/shared-lab.ts';
import { blankDrives, createTicket, labFingerprint, releaseGuards } from '../../helpers/units.ts';
import { zfsCmd } from '../../helpers/zfs-cmd.ts';
import type { LabState } from '../../../electron/lab/state.ts';
import { serve, type ServeHandle } from '../../../electron/hosts/serve.ts';
import { listMounts } from '../../../electron/system/mount.ts';
import { EngineClient, EngineError } from '../../../renderer/api/client.ts';
import { webSocketTransport, type WebSocketLike } from '../../../renderer/api/transport.ts';
import type { EventData } from '../../../electron/api/contract.ts';

const home = mkdtempSync(join(tmpdir(), 'rt-servejobs-home-'));
process.env.ROUNDTRIP_HOME = home;

type Progress = EventData<'job.progress'>;

describe('jobs over the serve WebSocket (zfs-fuse sync on lab drives, the renderer API client)', () => {
  let lab: LabState;
  let s: Scratch;
  let srv: ServeHandle;
  const clients: EngineClient[] = [];
  const TICKETS = ['1700001', '1700002'];

  const connect = () => {
    // A browser on the bench sends its page's origin; `ws` in Node is told to.
    const origin = `http://127.0.0.1:${srv.port}`;
    class BenchSocket extends WebSocket {
      constructor(url: string) {
        super(url, { origin });
      }
    }
    const c = new EngineClient(webSocketTransport(srv.url.replace('http://', 'ws://').replace('/?token=', '/api?token='), BenchSocket as unknown as new (url: string) => WebSocketLike), { backoffMs: 100 });
    clients.push(c);
    return c;
  };
  const opened = (c: EngineClient) => new Promise<void>((r) => (c.status === 'open' ? r() : c.onStatus((st) => st === 'open' && r())));
  const until = async (what: string, ok: () => boolean, ms = 120_000) => {
    const end = Date.now() + ms;
    while (!ok()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  beforeAll(async () => {
    lab = await sharedLab();
    s = makeScratch('servejobs');
    srv = await serve({ driveEvents: false });
  }, 300_000);

  afterAll(async () => {
    for (const c of clients) c.close();
    await srv?.close();
    for (const t of TICKETS) await releaseGuards(lab, t);
    const pools = (await zfsCmd('zpool', ['list', '-H', '-o', 'name'], { reject: false })).stdout.split('\n');
    for (const p of pools.filter((p) => TICKETS.some((t) => p.startsWith(`rt_${t}_`)))) await zfsCmd('zpool', ['destroy', '-f', p], { reject: false });
    await s?.cleanup();
    rmSync(home, { recursive: true, force: true });
  }, 300_000);

  it('starts a sync, streams its progress to two clients, survives a client going away, refuses the busy drive, and cancels cleanly', async () => {
    const before = await labFingerprint(lab);
    createTicket(lab, TICKETS[0], {
      systems: lab.systems.map((x) => ({ name: x.name, points: x.offsiteDataset ? { kind: 'newer-than-lock' } : { kind: 'range', from: '2000-01-01', to: '2100-01-01' } })),
    });
    createTicket(lab, TICKETS[1], { systems: [{ name: 'LNX-WEB01', points: { kind: 'newer-than-lock' } }] });
    const [drive] = await blankDrives(s, 1);

    const a = connect();
    await opened(a);
    const seenA: Progress[] = [];
    const states: string[] = [];
    a.on('job.progress', (p) => seenA.push(p));
    a.on('job.state', (d) => states.push(d.state));

    const job = await a.call('jobs.start', { kind: 'sync', params: { protection: 'unencrypted', ticketId: TICKETS[0], drives: [drive], sites: { source: lab.appliancePool, offsite: lab.offsitePool } } });
    // The answer comes at once, with the job running and its steps named ahead.
    expect(job.state).toBe('running');
    expect(job.steps).toEqual(expect.arrayContaining(['prepare-target', 'send', 'write-manifest', 'eject']));
    expect(job.holds.drives).toEqual([drive]);
    const mine = (p: Progress) => p.jobId === job.id;

    // Progress with rising bytes while it sends.
    await until('two sending progress events with bytes', () => seenA.filter((p) => mine(p) && p.step.startsWith('send ') && p.bytesDone > 0).length >= 2);
    const sending = seenA.filter((p) => mine(p) && p.step.startsWith('send '));
    expect(sending.at(-1)!.bytesDone).toBeGreaterThan(sending.find((p) => p.bytesDone > 0)!.bytesDone - 1);
    await until('bytes to rise', () => seenA.filter(mine).at(-1)!.bytesDone > sending[0].bytesDone);
    const last = seenA.filter(mine).at(-1)!;
    expect(last.bytesTotal).toBeGreaterThanOrEqual(last.bytesDone);
    expect(typeof last.rate).toBe('number');

    // A second client sees the same events as the first from the moment it is there.
    const b = connect();
    const seenB: Progress[] = [];
    b.on('job.progress', (p) => seenB.push(p));
    await opened(b);
    await until('three events on the second client', () => seenB.filter(mine).length >= 3);
    await new Promise((r) => setTimeout(r, 300));
    const key = (p: Progress) => `${p.step}:${p.bytesDone}:${p.elapsedMs}`;
    const listA = seenA.filter(mine).map(key);
    const listB = seenB.filter(mine).map(key);
    const from = listA.indexOf(listB[0]);
    expect(from).toBeGreaterThanOrEqual(0);
    const n = Math.min(listB.length, listA.length - from);
    expect(n).toBeGreaterThanOrEqual(2);
    expect(listA.slice(from, from + n)).toEqual(listB.slice(0, n));

    // The first client goes away (a window closed); the job does not depend on it.
    a.close();
    const c = connect();
    await opened(c);
    const now = await c.call('jobs.get', { jobId: job.id });
    expect(now.state).toBe('running');
    expect(now.progress?.bytesDone).toBeGreaterThan(0);
    // Its log reads as what it went through: the lines a technician sees, kept with the job.
    const lines = now.log.map((l) => l.line);
    expect(lines).toContain('prepare-target');
    expect(lines.some((l) => l.startsWith('send '))).toBe(true);
    expect(lines.some((l) => l.startsWith('Writing ticket'))).toBe(true);
    const seenC: Progress[] = [];
    c.followJob(job.id, { progress: (p) => seenC.push(p) });
    await until('events on the new client', () => seenC.length >= 2);
    expect(seenC.at(-1)!.bytesDone).toBeGreaterThanOrEqual(now.progress!.bytesDone);
    expect((await c.call('jobs.list', {})).map((j) => j.id)).toContain(job.id);

    // Another job on the same drive is refused, naming the job that holds it.
    const refused = await c.call('jobs.start', { kind: 'sync', params: { protection: 'unencrypted', ticketId: TICKETS[1], drives: [drive], sites: { source: lab.appliancePool, offsite: lab.offsitePool } } }).catch((e) => e);
    expect(refused).toBeInstanceOf(EngineError);
    expect(refused.code).toBe('JOB_BUSY');
    expect(refused.data.holder).toBe(job.id);
    expect(refused.message).toContain(drive);
    // And so is any other kind of job on that drive.
    const again = await c.call('jobs.start', { kind: 'format', params: { devices: [drive], layout: 'ext4', label: 'X' } }).catch((e) => e);
    expect(again.code).toBe('JOB_BUSY');

    // Cancel: the job ends cancelled, named as such on every client still connected.
    const statesB: string[] = [];
    b.on('job.state', (d) => d.jobId === job.id && statesB.push(d.state));
    const cancelling = await c.call('jobs.cancel', { jobId: job.id });
    expect(['cancelling', 'cancelled']).toContain(cancelling.state);
    await until('the job to end', () => statesB.includes('cancelled'), 180_000);
    const ended = await c.call('jobs.get', { jobId: job.id });
    expect(ended.state).toBe('cancelled');
    expect(ended.error?.code).toBe('CANCELLED');
    expect(ended.resumable).toBe(true);

    // Nothing of the unit is mounted, nothing cloned from the source is left, the source is unchanged.
    const leftovers = listMounts().filter((m) => `${m.source} ${m.target}`.includes(`rt_${TICKETS[0]}_`));
    expect(leftovers).toEqual([]);
    const unitPools = (await zfsCmd('zpool', ['list', '-H', '-o', 'name'])).stdout.split('\n').filter((p) => p.startsWith(`rt_${TICKETS[0]}_`));
    expect(unitPools).toEqual([]);
    expect(await labFingerprint(lab)).toEqual(before);
  }, 600_000);
});
