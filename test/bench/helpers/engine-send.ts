// Run as its own process by sync.bench.ts: the engine's send of one point onto a pool, with its
// checksums and progress on, so its throughput and its peak memory are the engine's alone.
// Prints one JSON line: {bytes, ms, maxRssMb, progressEvents}.
import { ProgressMeter } from '../../../electron/jobs/progress.ts';
import { sendPointToUnit } from '../../../electron/jobs/zfs/send-point.ts';
import { ensureZfs } from '../../../electron/system/zfs/index.ts';

const [snapshot, target] = process.argv.slice(2);
// A job has ZFS answering long before its first stream: this process's first check (about 50 ms
// of tool look-ups) is start-up, not stream throughput, so it is done before the clock starts.
await ensureZfs();
const meter = new ProgressMeter('bench', 0).start();
let events = 0;
meter.on('progress', () => events++);
const t0 = performance.now();
const r = await sendPointToUnit(snapshot, null, target, { onBytes: (n) => meter.add(n), step: 'bench' });
const ms = performance.now() - t0;
meter.stop();
process.stdout.write(`${JSON.stringify({ bytes: r.bytes, ms, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), progressEvents: events, sha256: r.sha256 })}\n`);
