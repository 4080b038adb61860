// The newest job of a kind for a ticket, followed live: its state, its progress and log as they
// come, and its state asked again after a reconnect. A reload finds the job again through
// jobs.list, since the engine, not the page, runs it.
import { useEffect, useRef, useState } from 'react';
import type { EventData } from '../../../../electron/api/contract.ts';
import type { JobView } from '../../../../electron/api/schemas/jobs.ts';
import { engine } from '../../../app/engine.ts';
import { useCall, useEvent } from '../../../app/use-engine.ts';

export interface LiveJob {
  job: JobView | null;
  progress: EventData<'job.progress'> | null;
  log: Array<{ at: string; line: string }>;
  /** Bytes per item (system) as the progress reported them. */
  items: Record<string, { done: number; total: number }>;
  loading: boolean;
}

export function paramsOf(j: JobView): Record<string, unknown> {
  return (j.params ?? {}) as Record<string, unknown>;
}

/** The newest job `match` accepts; `key` names what it looks for (a change looks again). */
export function useLatestJob(key: string, match: (j: JobView) => boolean): LiveJob {
  const list = useCall('jobs.list', {}, [key]);
  const [job, setJob] = useState<JobView | null>(null);
  const [progress, setProgress] = useState<EventData<'job.progress'> | null>(null);
  const [log, setLog] = useState<Array<{ at: string; line: string }>>([]);
  const [items, setItems] = useState<Record<string, { done: number; total: number }>>({});
  const matchRef = useRef(match);
  matchRef.current = match;
  const mine = (j: JobView) => matchRef.current(j);
  const newer = (a: JobView, b: JobView | null) => !b || a.startedAt >= b.startedAt;

  // A job started from this or another window appears here by its first state event.
  useEvent('job.state', (d) => {
    if (mine(d.job) && newer(d.job, job)) setJob(d.job);
  });
  useEffect(() => {
    const found = (list.data ?? []).filter(mine).sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
    if (found) setJob((cur) => (newer(found, cur) ? found : cur));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [list.data]);

  const jobId = job?.id ?? null;
  useEffect(() => {
    if (!jobId) return;
    setItems({});
    let live = true;
    // The first view of the job (before any event) comes from jobs.get.
    void engine.call('jobs.get', { jobId }).then(
      (j) => {
        if (!live) return;
        setJob(j);
        setLog(j.log);
        setProgress(j.progress);
      },
      () => undefined,
    );
    const off = engine.followJob(jobId, {
      state: (j) => {
        setJob(j);
        if (j.progress) setProgress(j.progress);
        if (j.log.length) setLog(j.log);
      },
      progress: (p) => {
        setProgress(p);
        if (p.item) setItems((m) => ({ ...m, [p.item!]: { done: p.itemBytesDone, total: p.itemBytesTotal } }));
      },
      log: (l) => setLog((cur) => [...cur, { at: l.at, line: l.line }].slice(-500)),
    });
    return () => {
      live = false;
      off();
    };
  }, [jobId]);

  return { job, progress, log, items, loading: list.loading };
}

/** The newest job of a kind for a ticket. */
export function useTicketJob(ticketId: string, kind: JobView['kind']): LiveJob {
  return useLatestJob(`${kind}:${ticketId}`, (j) => j.kind === kind && paramsOf(j).ticketId === ticketId);
}
