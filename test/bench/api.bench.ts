// The engine's API hosts (issue: "the engine host must cost nothing measurable"): what a client
// pays to talk to the engine through `roundtrip serve`, how late its events arrive, and whether a
// sync started through the WebSocket sends as fast as the same sync started in process, the way
// the CLI starts it. Everything runs on an appliance of this bench's own (not the practice lab,
// whose many small points would time the per-point costs rather than the stream): a scratch pool
// with one agent holding one ~640 MB volume image of incompressible data in one point, and an
// empty offsite pool, so the point travels as one full stream, as in sync.bench.ts.
//
// Figures:
//  - api_roundtrip_p50_ms, api_roundtrip_p95_ms: engine.ping over a real `roundtrip serve` (its
//    own process, its own ROUNDTRIP_HOME) from a `ws` client sending the page's Origin, one request
//    at a time after a warm-up: the fixed cost of one small request through the host (frames, JSON,
//    validation against the contract, dispatch), the floor under every call the UI makes.
//  - job_event_lag_ms: p95 over the job.progress events of the syncs started through that socket
//    of (arrival at the client - the snapshot's `at`, when the engine made it). Both ends read the
//    same clock (one machine), so it is the time the host takes to hand an event on while the
//    engine is busiest, which is what decides how current a progress bar is.
//  - zfs_sync_api_vs_shell_pipe, zfs_sync_cli_vs_shell_pipe: the sync's send step, started through
//    the WebSocket (jobs.start kind "sync") and in process as the CLI starts it (engine-client's
//    runJob), each against `zfs send | zfs receive` of the same point into the same kind of pool,
//    medians of per-round ratios (shell seconds / engine seconds, figure.ts medianPairRatio). Every
//    run, whichever side, gets a fresh blank sparse 300G loop device, and the unit pool on it is
//    made by the engine's own format (drives/format.ts) right before the stream: the sync does it
//    in its prepare-target step, and the shell side has the same format done just before its pipe
//    starts. So the pipe goes into the same kind of pool, after the same work, from the same quiet
//    start.
//  - zfs_sync_api_vs_cli: the median of per-round ratios of the two engine variants (CLI seconds /
//    API seconds): the host's cost on its own; 1 within noise is the target.
//
// Method, as sync.bench.ts and for the reasons docs/sync.md gives: the three sides run in the same
// rounds, taking turns (helpers/in-turn.ts inRotation: the rounds go through all six orders, so
// each side goes before each other side in half of them), every run starts on a quiet machine with
// memory freed a moment before (helpers/quiet.ts), and the figures are medians of per-round ratios.
//
// How the send step is timed: from the job's own progress events, the `at` of the first event of
// the step "send SYSTEM" to the `at` of the first event of "write-manifest". The engine makes
// each of them the moment it changes step (ProgressMeter.setStep emits at once, and the registry
// never holds back a change of step), on its own clock, so the figure holds the stream and its
// proof (GUID on the unit, journal record) and nothing else: none of the format before it and
// none of the delivery to the client after it. A host that slowed the engine down (handing on
// events, answering on the same event loop) shows in it; a host that is only slow to deliver shows
// in job_event_lag_ms instead. Whole-job wall time minus a separately measured format time was not
// used: the format subtracted would be another run's (wipe, partitions, a metadata file system,
// the pool: ~0.6 s on the development VM, against ~2 s of stream), so its run-to-run variation would land in the
// figure; the remainder would still hold the guards, the manifest and, through serve, the delivery
// of the job's end; and the events give this run's own step boundaries with nothing to subtract.
// The step does hold a few `zfs list`s the shell pipe does not (the unit's and the source's points
// before the stream, printed with --runs, and the proof after it): both engine variants pay them.
//
// The unit is left imported (eject: false) and destroyed right after each run: the export comes
// after the timed step, and destroying an imported pool needs no `zpool import` scan of /dev.
import { realpathSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import WebSocket from 'ws';
import { makeScratch, type Scratch } from '../helpers/scratch.ts';
import { zfsCmd } from '../helpers/zfs-cmd.ts';
import { ensureZfs } from '../../electron/system/zfs/index.ts';
import { writeSystemMeta } from '../../electron/appliance/system-meta.ts';
import { registerDrives, unregisterDrives } from '../../electron/drives/registered-drives.ts';
import { formatDrives, type FormatDoneResult } from '../../electron/drives/format.ts';
import { TicketStore } from '../../electron/tickets/store.ts';
import { closeTicketDb } from '../../electron/tickets/db.ts';
import { startEngine } from '../../electron/engine/start.ts';
import { runJob } from '../../electron/hosts/engine-client.ts';
import type { ProgressSnapshot } from '../../electron/jobs/progress.ts';
import { logRuns, medianPairRatio, percentile, type Figure } from './figure.ts';
import { inRotation } from './helpers/in-turn.ts';
import { quietMachine } from './helpers/quiet.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'roundtrip.mjs');
const DATA_MB = 640;
const SYSTEM = 'BENCH-API01';
const POINT = '1764979200';
/** One ticket per engine variant, so each keeps its own journal and job lock. */
const TICKET_API = '1795001';
const TICKET_CLI = '1795002';
/** The shell pipe's units are formatted under this label (no ticket). */
const SHELL_LABEL = 'BENCH-SHELL';
/** The pools the engine's formats make here (drives/naming.ts unitPoolName), and no others. */
const UNIT_POOL_PREFIXES = [`rt_${TICKET_API}_`, `rt_${TICKET_CLI}_`, `rt_${SHELL_LABEL.replace(/-/g, '_')}_`];
/** Every order of the three sides twice: a single run of any side varies by 20-30 % here. */
const ROUNDS = 12;
const PINGS = 500;
const WARM_PINGS = 50;
const JOB_TIMEOUT_MS = 300_000;

interface Drive {
  dev: string;
  file: string;
}

/**
 * The send step's length from a job's progress events, on the engine's clock (see the header), and
 * the part of it before the stream: from the step's first event to its first naming the point
 * (made just before `zfs send` starts), the look at the unit's and the source's points.
 */
function sendStep(events: readonly ProgressSnapshot[]): { ms: number; beforeStreamMs: number } {
  const send = events.find((e) => e.step.startsWith('send '));
  const point = events.find((e) => e.step.startsWith('send ') && e.item?.includes('@'));
  const next = events.find((e) => e.step === 'write-manifest');
  if (!send || !point || !next) throw new Error(`the job's events have no ${!send || !point ? 'send' : 'write-manifest'} step`);
  return { ms: next.at - send.at, beforeStreamMs: point.at - send.at };
}

/** A bare `ws` client of `roundtrip serve`: requests answered by id, events kept with their arrival time. */
class ServeClient {
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (m: { result: unknown; arrived: number }) => void; reject: (e: Error) => void }>();
  private readonly stateListeners = new Set<(d: { jobId: string; state: string; error?: { code: string; message: string } }) => void>();
  readonly progress: Array<{ snap: ProgressSnapshot; arrivedAt: number }> = [];

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const arrivedAt = Date.now();
      const arrived = performance.now();
      const m = JSON.parse(String(data));
      if (typeof m.event === 'string') {
        if (m.event === 'job.progress') this.progress.push({ snap: m.data, arrivedAt });
        else if (m.event === 'job.state') for (const l of this.stateListeners) l(m.data);
        return;
      }
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (m.ok) w.resolve({ result: m.result, arrived });
      else w.reject(new Error(`${m.error.code}: ${m.error.message}`));
    });
    ws.on('close', () => {
      for (const w of this.waiting.values()) w.reject(new Error('the serve socket closed'));
      this.waiting.clear();
    });
  }

  static async open(port: number, token: string): Promise<ServeClient> {
    // A browser sends its page's origin; serve refuses any other.
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${token}`, { origin: `http://127.0.0.1:${port}` });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new ServeClient(ws);
  }

  /** Sends one request; resolves with its result and the time (performance.now) its answer arrived. */
  send(method: string, params: unknown): Promise<{ result: unknown; arrived: number }> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Starts a job and resolves when it has ended; rejects unless it ended done. */
  async runJob(spec: unknown): Promise<string> {
    let jobId: string | null = null;
    const ended = new Map<string, { state: string; error?: { code: string; message: string } }>();
    let wake = () => {};
    const listener = (d: { jobId: string; state: string; error?: { code: string; message: string } }) => {
      if (['done', 'failed', 'cancelled'].includes(d.state)) {
        ended.set(d.jobId, d);
        wake();
      }
    };
    this.stateListeners.add(listener);
    try {
      const { result } = await this.send('jobs.start', spec);
      jobId = (result as { id: string }).id;
      const deadline = Date.now() + JOB_TIMEOUT_MS;
      while (!ended.has(jobId)) {
        if (Date.now() > deadline) throw new Error(`job ${jobId} did not end within ${JOB_TIMEOUT_MS / 1000} s`);
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 1000);
        });
      }
      const end = ended.get(jobId)!;
      if (end.state !== 'done') throw new Error(`job ${jobId} ended ${end.state}: ${end.error?.code}: ${end.error?.message}`);
      return jobId;
    } finally {
      this.stateListeners.delete(listener);
    }
  }

  close(): void {
    this.ws.close();
  }
}

/** `node bin/roundtrip.mjs serve` as its own process; resolves with its port and token once it printed its address. */
async function startServe(home: string): Promise<{ proc: ResultPromise; port: number; token: string }> {
  const proc = execa('node', [BIN, 'serve'], { env: { ROUNDTRIP_HOME: home }, reject: false, buffer: false, stdin: 'ignore', stderr: 'ignore' });
  try {
    const { port, token } = await new Promise<{ port: number; token: string }>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error('roundtrip serve printed no address within 60 s')), 60_000);
      proc.stdout!.on('data', (c: Buffer) => {
        out += String(c);
        const m = /Open http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve({ port: Number(m[1]), token: m[2] });
        }
      });
      void proc.then((r) => {
        clearTimeout(timer);
        reject(new Error(`roundtrip serve exited (${r.exitCode ?? r.signal}) before printing its address`));
      });
    });
    return { proc, port, token };
  } catch (e) {
    await stopServe(proc);
    throw e;
  }
}

async function stopServe(proc: ResultPromise): Promise<void> {
  if (proc.exitCode !== null && proc.exitCode !== undefined) return;
  proc.kill('SIGTERM');
  const killed = setTimeout(() => proc.kill('SIGKILL'), 10_000);
  await proc;
  clearTimeout(killed);
}

function createTicket(ticketNumber: string): void {
  new TicketStore().create(
    {
      ticketNumber,
      direction: 'forward',
      format: { filesystem: 'zfs', layout: 'datasets' },
      systems: [{ name: SYSTEM, points: { kind: 'range', from: '2000-01-01', to: '2100-01-01' } }],
      source: { location: 'appliance' },
      shipping: { region: 'usa' },
      unit: { providedBy: 'datacenter', kind: 'usb-drive' },
      contact: { name: 'Bench Tech', email: 'tech@example.com' },
      partner: { name: 'Example Partner', resellerId: 'R-1' },
      applianceSerial: 'BENCH-APPL',
      notifyEmails: '',
    },
    'bench',
  );
}

export async function figures(): Promise<Figure[]> {
  await ensureZfs();
  const prevHome = process.env.ROUNDTRIP_HOME;
  const home = mkdtempSync(join(tmpdir(), 'rt-bench-api-home-'));
  process.env.ROUNDTRIP_HOME = home;
  const s = makeScratch('apibench');
  // The loop devices made here for units and shell targets, each with its backing file: only these
  // are ever detached, and only while they are still backed by that file.
  const attached = new Map<string, string>();
  let fileNo = 0;
  const freshDrive = async (tag: string): Promise<Drive> => {
    const file = realpathSync(await s.file(`${tag}-${fileNo++}.img`, '300G'));
    const dev = (await execa('losetup', ['-f', '--show', '-P', file])).stdout.trim();
    attached.set(dev, file);
    return { dev, file };
  };
  const dropDrive = async (d: Drive): Promise<void> => {
    unregisterDrives([d.dev]);
    const back = (await execa('losetup', ['-n', '-O', 'BACK-FILE', d.dev], { reject: false })).stdout.trim();
    if (back === d.file) await execa('losetup', ['-d', d.dev], { reject: false });
    attached.delete(d.dev);
    rmSync(d.file, { force: true });
  };
  const destroyUnits = async (): Promise<void> => {
    const pools = (await zfsCmd('zpool', ['list', '-H', '-o', 'name'], { reject: false })).stdout.split('\n');
    for (const p of pools.filter((p) => UNIT_POOL_PREFIXES.some((x) => p.startsWith(x)))) {
      for (let i = 0; i < 10; i++) {
        const r = await zfsCmd('zpool', ['destroy', '-f', p], { reject: false });
        if (r.exitCode === 0 || /no such pool/.test(r.stderr)) break;
        await new Promise((res) => setTimeout(res, 500));
      }
    }
  };
  const pointName = () => `${src}/${SYSTEM}@${POINT}`;
  // A full send places no guard (there is no lock point), but a guard left on the point would keep
  // it from being destroyed with the scratch pool: released whenever one is there.
  const releaseGuards = async (): Promise<void> => {
    const holds = (await zfsCmd('zfs', ['holds', '-H', pointName()], { reject: false })).stdout;
    for (const t of [TICKET_API, TICKET_CLI]) if (holds.includes(`roundtrip-${t}`)) await zfsCmd('zfs', ['release', `roundtrip-${t}`, pointName()], { reject: false });
  };
  let src = '';
  let serveProc: ResultPromise | null = null;
  let client: ServeClient | null = null;
  try {
    // --- the appliance: one agent with one point of one volume image; an empty offsite pool.
    src = s.pool(s.uniqueName('rtapisrc'));
    const offsite = s.pool(s.uniqueName('rtapioff'));
    await zfsCmd('zpool', ['create', '-m', join(s.dir, 'src'), src, await s.loop('src.img', '2G')]);
    await zfsCmd('zpool', ['create', '-m', 'none', offsite, await s.loop('offsite.img', '256M')]);
    const agent = `${src}/${SYSTEM}`;
    await zfsCmd('zfs', ['create', agent]);
    for (const p of ['roundtrip:kind=agent', 'roundtrip:encrypted=no', 'roundtrip:os=linux', 'roundtrip:volumes=root:ext4']) await zfsCmd('zfs', ['set', p, agent]);
    const agentMnt = join(s.dir, 'src', SYSTEM);
    writeSystemMeta(agentMnt, { name: SYSTEM, kind: 'agent', os: 'linux', encrypted: false, volumes: [{ name: 'root', fs: 'ext4', file: 'root.img', bytes: DATA_MB * 2 ** 20 }] });
    await execa('dd', ['if=/dev/urandom', `of=${join(agentMnt, 'root.img')}`, 'bs=1M', `count=${DATA_MB}`, 'status=none']);
    await zfsCmd('zfs', ['snapshot', pointName()]);
    createTicket(TICKET_API);
    createTicket(TICKET_CLI);
    const sites = { source: src, offsite };

    // --- serve as its own process, and a client of it.
    const served = await startServe(home);
    serveProc = served.proc;
    client = await ServeClient.open(served.port, served.token);
    const api = client;

    // --- round trips: one small request at a time.
    await quietMachine();
    for (let i = 0; i < WARM_PINGS; i++) await api.send('engine.ping', {});
    const rtts: number[] = [];
    for (let i = 0; i < PINGS; i++) {
      const t0 = performance.now();
      const { arrived } = await api.send('engine.ping', {});
      rtts.push(arrived - t0);
    }

    // --- the sync's send step: through the API, in process as the CLI, and the shell pipe.
    startEngine('cli');
    const apiMs: number[] = [];
    const cliMs: number[] = [];
    const shellMs: number[] = [];
    const apiBefore: number[] = [];
    const cliBefore: number[] = [];
    const lags: number[] = [];
    const unitDrive = async (): Promise<Drive> => {
      const d = await freshDrive('unit');
      registerDrives([{ device: d.dev, backingFile: d.file, label: 'BENCH-UNIT', sizeBytes: 300e9, labDir: s.dir }]);
      return d;
    };
    const syncParams = (ticketId: string, drive: string) => ({ ticketId, drives: [drive], sites, eject: false, actor: 'bench', protection: 'unencrypted' as const });
    /** One run on a fresh unit drive, started on a quiet machine; its units (and a sync's guards) go after it. */
    const onUnitDrive = async (fn: (d: Drive) => Promise<void>, opts: { guards: boolean }) => {
      const d = await unitDrive();
      try {
        await quietMachine();
        await fn(d);
      } finally {
        await destroyUnits();
        if (opts.guards) await releaseGuards();
        await dropDrive(d);
      }
    };
    const apiSide = () =>
      onUnitDrive(async (d) => {
        const from = api.progress.length;
        const jobId = await api.runJob({ kind: 'sync', params: syncParams(TICKET_API, d.dev) });
        const mine = api.progress.slice(from).filter((e) => e.snap.jobId === jobId);
        const step = sendStep(mine.map((e) => e.snap));
        apiMs.push(step.ms);
        apiBefore.push(step.beforeStreamMs);
        for (const e of mine) lags.push(e.arrivedAt - e.snap.at);
      }, { guards: true });
    const cliSide = () =>
      onUnitDrive(async (d) => {
        const events: ProgressSnapshot[] = [];
        // runJob delivers the job's job.progress events from the engine's event bus, as the CLI's
        // progress line gets them; the line itself (stderr) is left out.
        await runJob({ kind: 'sync', params: syncParams(TICKET_CLI, d.dev) }, { onProgress: (p) => events.push(p) });
        const step = sendStep(events);
        cliMs.push(step.ms);
        cliBefore.push(step.beforeStreamMs);
      }, { guards: true });
    const shellSide = () =>
      onUnitDrive(async (d) => {
        // The unit as the sync's prepare-target makes it, by the same code, right before the stream
        // (see the header): the same kind of pool, after the same work.
        const f = (await formatDrives({ devices: [d.dev], layout: 'zfs', label: SHELL_LABEL, yes: true, actor: 'bench' })) as FormatDoneResult;
        // The peer: exactly what a technician would type. A shell string is the point of this peer.
        const t0 = performance.now();
        await execa('bash', ['-c', 'set -o pipefail; zfs send "$1" | zfs receive "$2"', 'bench', pointName(), `${f.pool!.name}/${SYSTEM}`]);
        shellMs.push(performance.now() - t0);
      }, { guards: false });
    for (let round = 0; round < ROUNDS; round++) await inRotation(round, [shellSide, apiSide, cliSide]);
    const secs = (xs: number[]) => xs.map((x) => x / 1000);
    logRuns('zfs_sync_api_vs_shell_pipe', { 'shell pipe': secs(shellMs), api: secs(apiMs), cli: secs(cliMs) });
    logRuns('send step before the stream', { api: secs(apiBefore), cli: secs(cliBefore) });
    return [
      { name: 'api_roundtrip_p50_ms', value: percentile(rtts, 50), unit: 'ms' },
      { name: 'api_roundtrip_p95_ms', value: percentile(rtts, 95), unit: 'ms' },
      { name: 'job_event_lag_ms', value: percentile(lags, 95), unit: 'ms' },
      { name: 'zfs_sync_api_vs_shell_pipe', value: medianPairRatio(shellMs, apiMs), unit: 'ratio' },
      { name: 'zfs_sync_cli_vs_shell_pipe', value: medianPairRatio(shellMs, cliMs), unit: 'ratio' },
      { name: 'zfs_sync_api_vs_cli', value: medianPairRatio(cliMs, apiMs), unit: 'ratio' },
    ];
  } finally {
    client?.close();
    if (serveProc) await stopServe(serveProc);
    await destroyUnits();
    if (src) await releaseGuards();
    for (const [dev, file] of [...attached]) await dropDrive({ dev, file });
    await s.cleanup();
    closeTicketDb(join(home, 'tickets.db'));
    if (prevHome === undefined) delete process.env.ROUNDTRIP_HOME;
    else process.env.ROUNDTRIP_HOME = prevHome;
    rmSync(home, { recursive: true, force: true });
  }
}
