// The range picker (R11) per protected system, beside the plan's figures, which follow the
// selection. A chosen range is saved in the ticket as that system's selection; a moved lock is
// kept for the plan and the sync.
import type { TicketInputRaw } from '../../../../electron/tickets/model/ticket-schema.ts';
import { engine } from '../../../app/engine.ts';
import { actor, useLocks } from '../../../app/session.ts';
import { useAction, useCall } from '../../../app/use-engine.ts';
import { ErrorNotice } from '../../../components/Notice.tsx';
import { PlanFigures } from '../plan/PlanFigures.tsx';
import { usePlan } from '../plan/use-plan.ts';
import { StepHeading, type StepProps } from '../step-frame.tsx';
import { SystemPicker } from '../points/SystemPicker.tsx';

export function PointsStep({ ticket, reload }: StepProps) {
  const locks = useLocks((s) => s.locks[ticket.id]) ?? {};
  const setLock = useLocks((s) => s.setLock);
  const points = useCall('plan.points', { ticketId: ticket.id, ...(Object.keys(locks).length ? { locks } : {}) }, [ticket.id, ticket.updatedAt, JSON.stringify(locks)]);
  const plan = usePlan(ticket.id, ticket.updatedAt);
  const choose = useAction(async (system: string, first: string, last: string) => {
    const request = ticket.request as TicketInputRaw;
    const systems = request.systems.map((s) => (s.name === system ? { ...s, points: { kind: 'range' as const, from: first, to: last } } : s));
    await engine.call('tickets.update', { ticketId: ticket.id, request: { ...request, systems } as Record<string, unknown>, actor: actor() });
    reload();
  });
  const retention = new Map((plan.data?.systems ?? []).map((s) => [s.system, s.retention]));
  return (
    <>
      <StepHeading ticket={ticket} step="points">
        Points
      </StepHeading>
      <ErrorNotice error={points.error} title="The points could not be listed" />
      <ErrorNotice error={choose.error} title="The range was not saved" />
      <div className="card" style={{ position: 'sticky', top: 0, zIndex: 1 }}>
        {plan.data ? <PlanFigures plan={plan.data} stale={plan.loading || choose.busy} /> : <p className="muted">The engine is planning…</p>}
        <ErrorNotice error={plan.error} title="The plan could not be made" />
      </div>
      {points.data?.systems.map((s) => (
        <SystemPicker
          key={s.system}
          system={s}
          retention={retention.get(s.system)}
          busy={choose.busy || points.loading}
          onRangeChange={(first, last) => void choose.run(s.system, first, last)}
          onMoveLock={(point) => setLock(ticket.id, s.system, point === s.defaultLock ? null : point)}
        />
      ))}
      {points.loading && !points.data ? <p className="muted">The engine is reading the points of each system…</p> : null}
    </>
  );
}
