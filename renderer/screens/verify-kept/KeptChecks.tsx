// The checks of a kept-unit verification (R19), each with its result and evidence as soon as it
// ends; the ones not reached yet say so, and the one running now is marked.
import type { KeptCheckView } from '../../../electron/api/schemas/jobs.ts';
import { Badge, type Tone } from '../../components/Badge.tsx';

/** The checks in the order the engine runs them, with what each one proves. */
export const KEPT_CHECKS: Array<{ id: KeptCheckView['id']; title: string; what: string }> = [
  { id: 'contents', title: 'Contents against the manifest', what: 'Every point on the unit, compared with the manifest written at the sync.' },
  { id: 'file-restore', title: 'File restore', what: 'Files restored from a recovery point and compared with their recorded hashes.' },
  { id: 'image-export', title: 'Image export (VHD and VMDK)', what: 'A volume of the point exported as VHD and as VMDK, and each image checked.' },
  { id: 'pool-health', title: 'Pool health', what: "The unit's pool status and a scrub." },
  { id: 'smart', title: 'Drive health (SMART)', what: "The drive's own health report, where its USB bridge passes it on." },
];

const LOOK: Record<KeptCheckView['status'], { tone: Tone; icon: string; word: string }> = {
  passed: { tone: 'ok', icon: '✔', word: 'passed' },
  failed: { tone: 'danger', icon: '✖', word: 'failed' },
  'not-available': { tone: 'plain', icon: '–', word: 'not available' },
  skipped: { tone: 'plain', icon: '–', word: 'skipped' },
};

export function KeptChecks({ checks, current, running }: { checks: KeptCheckView[]; current: string | null; running: boolean }) {
  return (
    <ol className="stack kept-checks" aria-label="Checks">
      {KEPT_CHECKS.map((c) => {
        const got = checks.find((x) => x.id === c.id);
        const look = got ? LOOK[got.status] : null;
        const now = !got && running && current === c.id;
        return (
          <li key={c.id} className="card" aria-label={`${c.title}: ${look ? look.word : now ? 'running' : 'not run yet'}`}>
            <div className="row" style={{ justifyContent: 'space-between' }}>
              <h3 style={{ margin: 0 }}>{c.title}</h3>
              {look ? (
                <Badge tone={look.tone} icon={look.icon}>
                  {look.word}
                </Badge>
              ) : now ? (
                <Badge tone="info" icon="▶">
                  running
                </Badge>
              ) : (
                <Badge icon="◌">{running ? 'waiting' : 'not run'}</Badge>
              )}
            </div>
            <p className="muted" style={{ margin: '0.25rem 0' }}>
              {c.what}
            </p>
            {got ? (
              <>
                <p className="user-text" style={{ margin: '0.25rem 0' }}>
                  {got.summary}
                </p>
                {got.evidence.length ? (
                  <ul className="evidence" aria-label={`Evidence of ${c.title.toLowerCase()}`}>
                    {got.evidence.map((e, i) => (
                      <li key={i} className="mono user-text">
                        {e}
                      </li>
                    ))}
                  </ul>
                ) : null}
              </>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
