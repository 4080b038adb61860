// One system's card on the Points step: its name, lock and range in words, and its range picker.
import type { MethodResult } from '../../../../electron/api/contract.ts';
import { Notice } from '../../../components/Notice.tsx';

type PickerSystem = MethodResult<'plan.points'>['systems'][number];
type Retention = { local: string[]; offsite: string[]; lockDeleted: boolean; selectedDeleted: string[] } | undefined;

export function SystemPicker({
  system,
  retention,
  busy,
  onRangeChange,
  onMoveLock,
}: {
  system: PickerSystem;
  retention: Retention;
  busy: boolean;
  onRangeChange(first: string, last: string): void;
  onMoveLock(point: string): void;
}) {
  const flagged = new Set([...(retention?.local ?? []), ...(retention?.offsite ?? [])]);
  return (
    <div className="card">
      <h3 className="mono user-text">{system.system}</h3>
      <p className="muted">
        {system.rows.length} points · lock {system.lock ?? 'none'}
        {system.lock !== system.defaultLock ? ` (moved from ${system.defaultLock ?? 'none'})` : ''} · range {system.first ?? '—'} … {system.last ?? '—'}
        {system.full ? ' · sent in full' : ''}
      </p>
      {system.notes.map((n) => (
        <Notice key={n} kind="info">
          <span className="user-text">{n}</span>
        </Notice>
      ))}
      <ul aria-label={`Points of ${system.system}`} aria-busy={busy ? 'true' : undefined}>
        {system.rows.map((r) => (
          <li key={r.name}>
            {r.name} {r.offsite ? 'offsite' : ''} {r.syncable ? 'can be synced' : ''} {r.first ? 'first' : ''} {r.last ? 'last' : ''} {r.lock ? 'lock' : ''}
            {flagged.has(r.name) ? ' deleted by retention before arrival' : ''}
            {r.syncable ? <button type="button" onClick={() => onRangeChange(r.name, system.last ?? r.name)}>first</button> : null}
            {r.local && r.offsite && !r.lock ? <button type="button" onClick={() => onMoveLock(r.name)}>move lock here</button> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
