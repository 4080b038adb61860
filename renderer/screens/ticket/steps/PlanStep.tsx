// What the ticket will send, per system and in total, for the chosen format and drives, with the
// engine's reasons when a format or medium cannot serve; the technician confirms the estimate.
import { useState } from 'react';
import type { TicketInputRaw } from '../../../../electron/tickets/model/ticket-schema.ts';
import { engine } from '../../../app/engine.ts';
import { bytes } from '../../../app/format.ts';
import { routeHref } from '../../../app/router.ts';
import { actor } from '../../../app/session.ts';
import { useAction } from '../../../app/use-engine.ts';
import { ErrorNotice } from '../../../components/Notice.tsx';
import { PlanFigures } from '../plan/PlanFigures.tsx';
import { DEFAULT_ARRIVAL_DAYS, usePlan } from '../plan/use-plan.ts';
import { StepHeading, type StepProps } from '../step-frame.tsx';

type FormatChoice = 'zfs/datasets' | 'ntfs/browsable' | 'ext4/browsable' | 'ntfs/image' | 'ext4/image' | 'zfs/image';
const FORMATS: Array<{ value: FormatChoice; label: string }> = [
  { value: 'zfs/datasets', label: 'ZFS datasets' },
  { value: 'ntfs/browsable', label: 'NTFS browsable folders' },
  { value: 'ext4/browsable', label: 'EXT4 browsable folders' },
  { value: 'ntfs/image', label: 'Image export on NTFS' },
  { value: 'ext4/image', label: 'Image export on EXT4' },
  { value: 'zfs/image', label: 'Image export on ZFS' },
];

export function PlanStep({ ticket, reload }: StepProps) {
  const [arrival, setArrival] = useState(DEFAULT_ARRIVAL_DAYS);
  const plan = usePlan(ticket.id, ticket.updatedAt, arrival);
  const f = ticket.request.format;
  const current = `${f.filesystem}/${f.layout}` as FormatChoice;
  const changeFormat = useAction(async (v: FormatChoice) => {
    const [filesystem, layout] = v.split('/');
    const request = { ...(ticket.request as TicketInputRaw), format: { filesystem, layout, ...(layout === 'image' ? { imageFormat: f.imageFormat ?? 'vhd' } : {}) } };
    await engine.call('tickets.update', { ticketId: ticket.id, request: request as Record<string, unknown>, actor: actor() });
    reload();
  });
  const confirm = useAction(async () => {
    if (!plan.data) return;
    await engine.call('tickets.advance', { ticketId: ticket.id, step: 'estimate-confirmed', bytes: plan.data.dataBytes, actor: actor() });
    reload();
  });
  const confirmed = ticket.steps.some((s) => s.step === 'estimate-confirmed');
  const canConfirm = ticket.nextSteps.includes('estimate-confirmed');
  return (
    <>
      <StepHeading ticket={ticket} step="plan">
        Plan
      </StepHeading>
      <div className="card">
        <div className="row" style={{ alignItems: 'end', marginBottom: '1rem' }}>
          <div className="field">
            <label htmlFor="plan-format">Format (R1)</label>
            <select id="plan-format" value={FORMATS.some((x) => x.value === current) ? current : ''} disabled={confirmed || changeFormat.busy} onChange={(e) => void changeFormat.run(e.target.value as FormatChoice)}>
              {FORMATS.map((x) => (
                <option key={x.value} value={x.value}>
                  {x.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="plan-arrival">Unit arrives in (days)</label>
            <input id="plan-arrival" type="number" min={0} max={365} value={arrival} onChange={(e) => setArrival(Math.max(0, Math.min(365, Number(e.target.value) || 0)))} style={{ width: '7rem' }} />
          </div>
          <span className="muted">
            Drives are chosen on the <a href={routeHref({ screen: 'ticket', ticketId: ticket.id, step: 'drives' })}>Drives</a> step, points on the{' '}
            <a href={routeHref({ screen: 'ticket', ticketId: ticket.id, step: 'points' })}>Points</a> step.
          </span>
        </div>
        <ErrorNotice error={changeFormat.error} title="The format was not changed" />
        <ErrorNotice error={plan.error} title="The engine could not plan this ticket" />
        {plan.loading && !plan.data ? <p className="muted">The engine is measuring the points…</p> : null}
        {plan.data ? <PlanFigures plan={plan.data} stale={plan.loading} /> : null}
      </div>
      {plan.data ? (
        <div className="card" style={{ padding: 0 }}>
          <table className="data" aria-label="Plan per system">
            <thead>
              <tr>
                <th scope="col">System</th>
                <th scope="col" className="num">
                  Points
                </th>
                <th scope="col">Lock</th>
                <th scope="col" className="num">
                  Size
                </th>
                <th scope="col">Notes</th>
              </tr>
            </thead>
            <tbody>
              {plan.data.systems.map((s) => (
                <tr key={s.system}>
                  <td className="mono user-text">{s.system}</td>
                  <td className="num">{s.points.length}</td>
                  <td className="mono">{s.lock ?? 'none (sent in full)'}</td>
                  <td className="num">{bytes(s.bytes)}</td>
                  <td>
                    {s.notes.map((n) => (
                      <div key={n} className="muted user-text">
                        {n}
                      </div>
                    ))}
                    {s.warnings.map((w) => (
                      <div key={w} className="user-text" style={{ color: 'var(--rt-warn)' }}>
                        <span aria-hidden="true">⚠ </span>
                        {w}
                      </div>
                    ))}
                    {s.retention && (s.retention.local.length || s.retention.offsite.length) ? (
                      <div style={{ color: 'var(--rt-warn)' }}>
                        <span aria-hidden="true">⚠ </span>
                        Retention deletes {s.retention.local.length + s.retention.offsite.length} point(s) before the unit arrives
                        {s.retention.selectedDeleted.length ? `, ${s.retention.selectedDeleted.length} of them selected` : ''}
                        {s.retention.lockDeleted ? ', including the lock' : ''}.
                      </div>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <div className="card">
        <ErrorNotice error={confirm.error} title="The estimate was not confirmed" />
        {confirmed ? (
          <p>The cost estimate is confirmed. The sync fee is charged on the data actually synced.</p>
        ) : (
          <div className="row">
            <button type="button" className="primary" disabled={!plan.data || !canConfirm || confirm.busy} onClick={() => void confirm.run()}>
              Confirm the estimate
            </button>
            {!canConfirm ? <span className="muted">The checklist's earlier steps come first: {ticket.nextSteps.join(', ') || 'none'}.</span> : null}
          </div>
        )}
      </div>
    </>
  );
}
