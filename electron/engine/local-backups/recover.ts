// An engine killed during a sync (kill -9, a power cut) could not resume the appliance's local
// backups: its job's marker still says held. The next engine resumes them once, when no running
// sync holds them paused (one that does resumes them at its end, orphans included), ends the
// markers so no later engine runs the resume again, and writes what it did into the job's record.
import { logLine } from '../../system/log.ts';
import { readJobRecord, writeJobRecord } from '../jobs/job-records.ts';
import { withLocalBackupsLock } from './bench-lock.ts';
import { heldMarkers } from './markers.ts';
import { resumeAll } from './resume-all.ts';

export async function resumeOrphanedLocalBackups(): Promise<void> {
  if (!heldMarkers().orphaned.length) return;
  await withLocalBackupsLock(async () => {
    const { alive, orphaned } = heldMarkers();
    if (!orphaned.length || alive.length) return;
    const outcome = await resumeAll(orphaned, 'the next engine started after the one running the sync stopped');
    const sentence = `The engine running this sync stopped while the appliance's local backups were paused; the next engine ran the resume. ${outcome.sentence}`;
    logLine('engine', { op: 'resume local backups left paused', jobs: orphaned.map((m) => m.jobId), ok: outcome.ok });
    for (const m of orphaned) {
      const rec = readJobRecord(m.jobId);
      // A record written by another engine belongs to a run that took the job up again: it keeps its own.
      if (!rec || rec.pid !== m.pid) continue;
      const at = new Date().toISOString();
      const chosen = rec.view.localBackups?.chosen ?? true;
      // Its engine is gone, so a record still saying running is interrupted (as the registry lists it).
      const state = rec.view.state === 'running' || rec.view.state === 'cancelling' ? 'interrupted' : rec.view.state;
      const localBackups = { chosen, state: outcome.ok ? ('resumed' as const) : ('resume-failed' as const), sentence, at };
      writeJobRecord({ ...rec, view: { ...rec.view, state, localBackups, log: [...rec.view.log, { at, line: sentence }] } });
    }
  });
}
