// A pipeline as data: an ordered list of named steps, each with its work on a typed state the
// pipeline defines (what its steps pass along). The runner enters each step in turn (so progress
// and the failure record name it), looks for a cancel or a pulled drive before each step and each
// item, and leaves out the steps and items the pipeline says need no work (a resume's finished
// points, a step the request does not ask for). The names a UI shows ahead of time are read from
// the same declaration, so they cannot drift from what runs.
import { abortError } from './drive-watch.ts';

/** What the runner needs of the job's run (JobRun): entering a step, and the step it is in. */
export interface StepEntry {
  enter(step: string, item?: string, itemBytes?: number): void;
  readonly step: string;
}

export interface JobStep<S> {
  readonly name: string;
  /** The job does not take this step this time (the request leaves it out). */
  readonly skip?: (state: S) => boolean;
  /**
   * Runs even when a cancel came in before it: it completes what the steps before it did (merged
   * agents marked locked), and leaving it out would leave that work half-described.
   */
  readonly finishes?: boolean;
  /** Enters the step (or each of its items) and does its work; `checkpoint` stops the job if it was cancelled. */
  readonly run: (state: S, entry: StepEntry, checkpoint: () => void) => Promise<void>;
}

/** A step done once: `work` runs inside it. */
export function step<S>(name: string, work: (state: S) => Promise<void> | void, opts: { skip?: (state: S) => boolean; finishes?: boolean } = {}): JobStep<S> {
  return {
    name,
    ...opts,
    run: async (state, entry) => {
      entry.enter(name);
      await work(state);
    },
  };
}

export interface EachStepDef<S, I> {
  /** The items, in order, read when the step starts. */
  items: (state: S) => readonly I[];
  /** The item's name in the step ("send WIN-FS01") and its bytes, for progress. */
  label: (item: I, state: S) => { item: string; bytes: number };
  /** Items that need no work (a resume found them finished, the plan refuses them): not entered. */
  done?: (state: S, item: I) => boolean;
  /** Told of each item `done` left out (counts it, records why). */
  skipped?: (state: S, item: I) => void;
  /** Wraps the whole run of the items (a watch, a pipeline of one-behind work); must call `items`. */
  around?: (state: S, items: () => Promise<void>) => Promise<void>;
  /** The item's work; `checkpoint` looks for a cancel again (between the item's own parts). */
  work: (state: S, item: I, checkpoint: () => void) => Promise<void>;
}

/**
 * A step repeated per item: each is entered as "NAME ITEM" with its bytes, and a cancel is looked
 * for before each. The bare NAME is never entered: until the first item the job is in the step before.
 */
export function eachStep<S, I>(name: string, def: EachStepDef<S, I>, opts: { skip?: (state: S) => boolean } = {}): JobStep<S> {
  return {
    name,
    ...opts,
    run: async (state, entry, checkpoint) => {
      const items = async () => {
        for (const it of def.items(state)) {
          if (def.done?.(state, it)) {
            def.skipped?.(state, it);
            continue;
          }
          checkpoint();
          const { item, bytes } = def.label(it, state);
          entry.enter(`${name} ${item}`, item, bytes);
          await def.work(state, it, checkpoint);
        }
      };
      await (def.around ? def.around(state, items) : items());
    },
  };
}

export interface JobPipeline<S> {
  readonly steps: readonly JobStep<S>[];
  /** The signal a cancel aborts (the drive watch's, once there is one): looked at before each step and item. */
  readonly signal: (state: S) => AbortSignal | undefined;
  /** Looks at the unit's drives now, so a pull between steps is named as such rather than as what failed next. */
  readonly check?: (state: S) => void;
  /** What a cancel says: "The sync was cancelled." */
  readonly cancelled: string;
}

/** The pipeline's step names, in order: what the job registry shows before the job starts. */
export function stepNames<S>(p: JobPipeline<S>): readonly string[] {
  return Object.freeze(p.steps.map((s) => s.name));
}

/** Runs the pipeline's steps in order on `state`. A failure keeps the step it happened in (entry.step). */
export async function runSteps<S>(p: JobPipeline<S>, state: S, entry: StepEntry): Promise<void> {
  // Named as the step the job is in: the last one that ran, whose end the cancel came after.
  const checkpoint = () => {
    p.check?.(state);
    const signal = p.signal(state);
    if (signal?.aborted) throw abortError(signal, p.cancelled, entry.step);
  };
  for (const s of p.steps) {
    if (s.skip?.(state)) continue;
    if (!s.finishes) checkpoint();
    await s.run(state, entry, checkpoint);
  }
}
