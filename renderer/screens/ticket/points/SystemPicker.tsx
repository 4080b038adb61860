// One system's card on the Points step: its name, the engine's notes, and its range picker (R11).
import type { MethodResult } from '../../../../electron/api/contract.ts';
import { RangePicker } from '../../../components/range-picker/index.ts';
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
  return (
    <div className="card" aria-busy={busy ? 'true' : undefined}>
      <h3 className="mono user-text">{system.system}</h3>
      {system.full ? <p className="muted">No point in common with the destination: the first point goes in full.</p> : null}
      {system.notes.map((n) => (
        <Notice key={n} kind="info">
          <span className="user-text">{n}</span>
        </Notice>
      ))}
      <RangePicker
        system={system}
        retention={retention ?? null}
        height={Math.min(480, Math.max(180, system.rows.length * 56 + 4))}
        onRangeChange={({ first, last }) => onRangeChange(first, last)}
        onMoveLock={onMoveLock}
      />
    </div>
  );
}
