// One system's points sent oldest first from its first unproven one, the same way whatever
// receives them (a unit's pool here, a NAS unit over ssh): each point checked on the source,
// named in the progress, sent, proven where it landed by its GUID, and journaled before the next
// starts, so a resume starts at the first point not proven.
import { AppError } from '../../api/errors.ts';
import type { JobRun } from '../job-run.ts';
import { pointStillOnSource } from '../source-point.ts';
import type { SentPoint } from './send-point.ts';
import type { PointRecord, ZfsSyncSystem } from './sync-types.ts';

/** The part of a sync's state the point loop reads and adds to (`P`: its point records, a sealed sync's with their file). */
export interface ChainState<P extends PointRecord = PointRecord> {
  readonly run: Pick<JobRun<P>, 'step' | 'meter'> & { append(r: P): void };
  readonly proven: P[];
  bytes: number;
  sent: number;
  readonly opts: { hooks?: { afterPoint?: (system: string, point: string, sent: number) => void | Promise<void> } };
}

export interface ChainTarget<X extends object = object> {
  /** Sends `snapshot` (incremental from `from`) to where the points go; `X` is journaled with the point. */
  send(snapshot: string, from: string | null): Promise<SentPoint & X>;
  /** The GUID of `point` where it landed; null when it is not there. */
  landedGuid(point: string): Promise<string | null>;
  /** "the unit", "the NAS unit": for the sentence of a point that did not land as sent. */
  where: string;
}

/** Sends `seq[next..]` of `sys`; the bytes it sent. `checkpoint` throws on a cancel between points. */
export async function sendChain<X extends object = object>(
  s: ChainState<PointRecord & NoInfer<X>>,
  sys: ZfsSyncSystem,
  seq: string[],
  next: number,
  sourceSnaps: Map<string, { guid: string; creation: number }>,
  target: ChainTarget<X>,
  checkpoint: () => void,
): Promise<number> {
  const { run } = s;
  let sysBytes = 0;
  for (let i = next; i < seq.length; i++) {
    checkpoint();
    const src = pointStillOnSource(sourceSnaps, sys.system, seq[i], run.step);
    run.meter.setStep(run.step, `${sys.system}@${seq[i]}`);
    const from = i === 0 ? null : seq[i - 1];
    const r = await target.send(`${sys.sourceDataset}@${seq[i]}`, from);
    const landed = await target.landedGuid(seq[i]);
    if (landed !== src.guid) {
      throw new AppError('VERIFY_MISMATCH', `Point ${seq[i]} of ${sys.system} did not arrive on ${target.where} as it is on the source (GUID ${landed ?? 'missing'}, source ${src.guid}).`, {
        step: run.step,
        data: { system: sys.system, point: seq[i] },
      });
    }
    const rec = { type: 'point' as const, system: sys.system, point: seq[i], guid: src.guid, time: Number(seq[i]) || src.creation, from, ...r };
    run.append(rec);
    s.proven.push(rec);
    s.bytes += r.bytes;
    sysBytes += r.bytes;
    s.sent++;
    await s.opts.hooks?.afterPoint?.(sys.system, seq[i], s.sent);
  }
  return sysBytes;
}
