// The step runner every long pipeline is declared for: plain functions as steps, run inside a real
// job run (lock, journal, progress meter) under a home of the test's own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../electron/api/errors.ts';
import { Journal } from '../../../electron/jobs/journal.ts';
import { withJobRun } from '../../../electron/jobs/job-run.ts';
import { eachStep, runSteps, step, stepNames, type JobPipeline } from '../../../electron/jobs/job-steps.ts';
import type { ProgressSnapshot } from '../../../electron/jobs/progress.ts';

interface State {
  done: string[];
  ac: AbortController;
  items: Array<{ name: string; bytes: number; finished?: boolean }>;
  skipped: string[];
}

const newState = (items: State['items'] = []): State => ({ done: [], ac: new AbortController(), items, skipped: [] });

let home = '';
let previousHome: string | undefined;
let n = 0;

beforeAll(() => {
  previousHome = process.env.ROUNDTRIP_HOME;
  home = mkdtempSync(join(tmpdir(), 'rt-job-steps-'));
  process.env.ROUNDTRIP_HOME = home;
});

afterAll(() => {
  if (previousHome === undefined) delete process.env.ROUNDTRIP_HOME;
  else process.env.ROUNDTRIP_HOME = previousHome;
  rmSync(home, { recursive: true, force: true });
});

/** Runs the pipeline as a job; answers its error (or null), the steps progress showed, and the journal. */
async function runJob(p: JobPipeline<State>, state: State) {
  const jobId = `steps-test-${++n}`;
  const seen: string[] = [];
  const onProgress = (s: ProgressSnapshot) => {
    const label = `${s.step}${s.item ? ` [${s.item} ${s.itemBytesTotal}]` : ''}`;
    if (seen.at(-1) !== label) seen.push(label);
  };
  const error = await withJobRun<{ type: 'note' }, void>({ jobId, what: 'The test job', steps: stepNames(p), setAsideJournal: true, onProgress }, (run) => runSteps(p, state, run))
    .then(() => null)
    .catch((e: AppError) => e);
  return { error, seen, journal: new Journal<{ type: string; step?: string; code?: string }>(jobId).read() };
}

const pipeline = (steps: JobPipeline<State>['steps']): JobPipeline<State> => ({ steps, signal: (s) => s.ac.signal, cancelled: 'The test job was cancelled.' });

describe('job step runner', () => {
  it('runs the declared steps in order on one state, each entered by name', async () => {
    const p = pipeline([
      step('open', (s) => void s.done.push('open')),
      step('fill', async (s) => void s.done.push(`fill after ${s.done.at(-1)}`)),
      step('close', (s) => void s.done.push('close')),
    ]);
    const state = newState();
    const r = await runJob(p, state);
    expect(r.error).toBeNull();
    expect(state.done).toEqual(['open', 'fill after open', 'close']);
    expect(r.seen).toEqual(['open', 'fill', 'close']);
  });

  it('derives the names a UI shows from the declaration, per-item steps by their bare name', () => {
    const p = pipeline([step('prepare', () => {}), eachStep('send', { items: () => [], label: () => ({ item: '', bytes: 0 }), work: async () => {} }), step('eject', () => {})]);
    expect(stepNames(p)).toEqual(['prepare', 'send', 'eject']);
  });

  it('gives the four pipelines the step names the job registry shows before they start', async () => {
    const { ZFS_SYNC_STEPS } = await import('../../../electron/jobs/zfs/sync.ts');
    const { NAS_SYNC_STEPS } = await import('../../../electron/jobs/zfs/nas-sync.ts');
    const { FILE_SYNC_STEPS } = await import('../../../electron/jobs/files/sync.ts');
    const { MERGE_STEPS } = await import('../../../electron/merge/merge.ts');
    expect(ZFS_SYNC_STEPS).toEqual(['prepare-target', 'guard-lock', 'send', 'write-manifest', 'eject']);
    expect(NAS_SYNC_STEPS).toEqual(['prepare-target', 'guard-lock', 'send', 'write-manifest']);
    expect(FILE_SYNC_STEPS).toEqual(['prepare-target', 'place-points', 'copy', 'export', 'write-manifest', 'verify', 'eject']);
    expect(MERGE_STEPS).toEqual(['open-unit', 'verify-unit', 'plan', 'merge', 'agents']);
  });

  it('names the step that failed, in the error and in the failure record, and runs nothing after it', async () => {
    const p = pipeline([
      step('open', () => {}),
      step('fill', () => {
        throw new AppError('TARGET_FULL', 'The unit is full.');
      }),
      step('close', (s) => void s.done.push('close')),
    ]);
    const state = newState();
    const r = await runJob(p, state);
    expect(r.error).toMatchObject({ code: 'TARGET_FULL', step: 'fill' });
    expect(r.journal.at(-1)).toMatchObject({ type: 'failed', code: 'TARGET_FULL', step: 'fill' });
    expect(state.done).toEqual([]);
  });

  it('stops between steps once cancelled, naming the last step that ran', async () => {
    const p = pipeline([
      step('open', (s) => {
        s.done.push('open');
        s.ac.abort();
      }),
      step('fill', (s) => void s.done.push('fill')),
    ]);
    const state = newState();
    const r = await runJob(p, state);
    expect(r.error).toMatchObject({ code: 'CANCELLED', message: 'The test job was cancelled.', step: 'open' });
    expect(r.journal.at(-1)).toMatchObject({ type: 'cancelled', step: 'open' });
    expect(state.done).toEqual(['open']);
  });

  it('still runs a step that finishes the work before it when the cancel came in before it', async () => {
    const p = pipeline([
      step('merge', (s) => void s.ac.abort()),
      step('agents', (s) => void s.done.push('agents'), { finishes: true }),
      step('report', (s) => void s.done.push('report')),
    ]);
    const state = newState();
    const r = await runJob(p, state);
    expect(state.done).toEqual(['agents']);
    expect(r.error).toMatchObject({ code: 'CANCELLED', step: 'agents' });
  });

  it('leaves out a step the state says the job does not take', async () => {
    const p = pipeline([step('copy', (s) => void s.done.push('copy')), step('verify', (s) => void s.done.push('verify'), { skip: () => true }), step('eject', (s) => void s.done.push('eject'))]);
    const state = newState();
    const r = await runJob(p, state);
    expect(state.done).toEqual(['copy', 'eject']);
    expect(r.seen).toEqual(['copy', 'eject']);
  });

  it('enters a per-item step once per item with its bytes, leaving out the items already done', async () => {
    const p = pipeline([
      step('prepare', () => {}),
      eachStep('send', {
        items: (s) => s.items,
        label: (i) => ({ item: i.name, bytes: i.bytes }),
        done: (_s, i) => i.finished === true,
        skipped: (s, i) => void s.skipped.push(i.name),
        around: async (s, items) => {
          s.done.push('watch on');
          await items();
          s.done.push('watch off');
        },
        work: async (s, i) => void s.done.push(`send ${i.name}`),
      }),
      step('eject', () => {}),
    ]);
    const state = newState([{ name: 'WIN-FS01', bytes: 100 }, { name: 'LNX-WEB01', bytes: 50, finished: true }, { name: 'WIN-SQL01', bytes: 70 }]);
    const r = await runJob(p, state);
    expect(r.error).toBeNull();
    expect(state.done).toEqual(['watch on', 'send WIN-FS01', 'send WIN-SQL01', 'watch off']);
    expect(state.skipped).toEqual(['LNX-WEB01']);
    expect(r.seen).toEqual(['prepare', 'send WIN-FS01 [WIN-FS01 100]', 'send WIN-SQL01 [WIN-SQL01 70]', 'eject']);
  });

  it('stops between items once cancelled, and a failing item names itself', async () => {
    const cancelling = pipeline([
      eachStep('send', {
        items: (s) => s.items,
        label: (i) => ({ item: i.name, bytes: i.bytes }),
        work: async (s, i) => {
          s.done.push(i.name);
          s.ac.abort();
        },
      }),
    ]);
    const a = newState([{ name: 'A', bytes: 1 }, { name: 'B', bytes: 1 }]);
    const ra = await runJob(cancelling, a);
    expect(a.done).toEqual(['A']);
    expect(ra.error).toMatchObject({ code: 'CANCELLED', step: 'send A' });

    const failing = pipeline([
      eachStep('copy', {
        items: (s) => s.items,
        label: (i) => ({ item: i.name, bytes: i.bytes }),
        work: async (_s, i) => {
          if (i.name === 'B') throw new AppError('VERIFY_MISMATCH', 'B does not read back.');
        },
      }),
    ]);
    const rb = await runJob(failing, newState([{ name: 'A', bytes: 1 }, { name: 'B', bytes: 1 }, { name: 'C', bytes: 1 }]));
    expect(rb.error).toMatchObject({ code: 'VERIFY_MISMATCH', step: 'copy B' });
    expect(rb.journal.at(-1)).toMatchObject({ type: 'failed', step: 'copy B' });
  });

  it('gives an item\'s work the same cancel check, to look again between its own parts', async () => {
    const p = pipeline([
      eachStep('send', {
        items: (s) => s.items,
        label: (i) => ({ item: i.name, bytes: i.bytes }),
        work: async (s, i, checkpoint) => {
          for (const part of ['1', '2']) {
            checkpoint();
            s.done.push(`${i.name}@${part}`);
            s.ac.abort();
          }
        },
      }),
    ]);
    const state = newState([{ name: 'A', bytes: 1 }]);
    const r = await runJob(p, state);
    expect(state.done).toEqual(['A@1']);
    expect(r.error).toMatchObject({ code: 'CANCELLED', step: 'send A' });
  });
});
