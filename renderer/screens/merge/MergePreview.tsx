// What a merge would do, per system, before anything runs (R18): new points to receive, refused
// because the destination holds newer points (each named), no common point, already there. A
// rollback of newer points is a choice per system, confirmed in a dialog that names what is lost.
import { useState } from 'react';
import { Badge } from '../../components/Badge.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { pointName, previewLook, type MergeSystem } from './merge-words.ts';

function Points({ label, points }: { label: string; points: MergeSystem['newer'] }) {
  if (!points?.length) return null;
  return (
    <div>
      {label}
      <ul style={{ margin: 0, paddingLeft: '1rem' }}>
        {points.map((p) => (
          <li key={p.guid} className="mono">
            {pointName(p)}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function MergePreview({
  systems,
  into,
  allowed,
  onAllow,
  disabled,
}: {
  systems: MergeSystem[];
  into: string;
  allowed: string[];
  onAllow(system: string, on: boolean): void;
  disabled?: boolean;
}) {
  const [asking, setAsking] = useState<MergeSystem | null>(null);
  // The newer points of a system whose rollback is being asked: from the refusal, kept while the
  // preview is asked again with the rollback allowed.
  const [lost, setLost] = useState<Record<string, MergeSystem['newer']>>({});
  return (
    <>
      <table className="data" aria-label="What the merge will do">
        <thead>
          <tr>
            <th scope="col">System</th>
            <th scope="col">What happens</th>
            <th scope="col">Rollback</th>
          </tr>
        </thead>
        <tbody>
          {systems.map((s) => {
            const look = previewLook(s);
            const canRollBack = s.code === 'MERGE_NEWER_POINTS' || allowed.includes(s.system);
            return (
              <tr key={s.system}>
                <th scope="row" className="mono user-text">
                  {s.system}
                  {s.encrypted ? (
                    <div>
                      <Badge tone="warn" icon="■">encrypted agent</Badge>
                    </div>
                  ) : null}
                </th>
                <td>
                  <Badge tone={look.tone} icon={look.icon}>
                    {look.word}
                  </Badge>
                  <div className="user-text">{s.message}</div>
                  {s.code === 'MERGE_NEWER_POINTS' ? <Points label={`Newer points on ${s.dataset ?? into}:`} points={s.newer} /> : null}
                  <Points label="Discarded by the rollback:" points={s.rolledBack} />
                </td>
                <td>
                  {canRollBack ? (
                    <label className="check">
                      <input
                        type="checkbox"
                        checked={allowed.includes(s.system)}
                        disabled={disabled}
                        onChange={(e) => {
                          if (!e.target.checked) return onAllow(s.system, false);
                          setLost((l) => ({ ...l, [s.system]: s.newer }));
                          setAsking(s);
                        }}
                      />
                      <span>Allow a rollback of {s.system}…</span>
                    </label>
                  ) : (
                    <span className="muted">not needed</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <ConfirmDialog
        open={asking !== null}
        title={`Discard ${asking?.newer?.length ?? 0} newer point(s) of ${asking?.system ?? ''}?`}
        confirmLabel="Discard them and merge"
        cancelLabel="Keep them"
        danger
        onClose={() => setAsking(null)}
        onConfirm={() => asking && onAllow(asking.system, true)}
      >
        <p>
          The destination <span className="mono user-text">{asking?.dataset ?? into}</span> is rolled back to the common point
          {asking?.common ? <span className="mono"> {pointName(asking.common)}</span> : null}. These points are lost:
        </p>
        <ul>
          {(asking ? (lost[asking.system] ?? asking.newer ?? []) : []).map((p) => (
            <li key={p.guid} className="mono">
              {pointName(p)}
            </li>
          ))}
        </ul>
        <p>If the merge of this system fails, they are put back.</p>
      </ConfirmDialog>
    </>
  );
}
