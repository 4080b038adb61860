// Pack and ship (R13–R15): the packing checklist, the label and packing slip as PDF (open in the
// browser's viewer or download), then the outbound tracking number.
import { useState } from 'react';
import type { ReturnLabel, UnitLabel } from '../../../../electron/tickets/model/packing.ts';
import { engine } from '../../../app/engine.ts';
import { when } from '../../../app/format.ts';
import { actor } from '../../../app/session.ts';
import { useAction } from '../../../app/use-engine.ts';
import { ErrorNotice, Notice } from '../../../components/Notice.tsx';
import { PrintButtons } from '../ship/PrintButtons.tsx';
import { StepHeading, type StepProps } from '../step-frame.tsx';

export function ShipStep({ ticket, reload }: StepProps) {
  const packed = ticket.steps.find((s) => s.step === 'packed');
  const shipped = ticket.steps.find((s) => s.step === 'shipped');
  const items = ticket.packing.items;
  const [checked, setChecked] = useState<string[]>(packed?.items ? [...(packed.items as string[])] : []);
  const [tracking, setTracking] = useState('');
  const missing = items.filter((i) => i.required && !checked.includes(i.id));
  const pack = useAction(async () => {
    await engine.call('tickets.advance', { ticketId: ticket.id, step: 'packed', items: checked, actor: actor() });
    reload();
  });
  const ship = useAction(async () => {
    await engine.call('tickets.advance', { ticketId: ticket.id, step: 'shipped', trackingNumber: tracking.trim(), actor: actor() });
    reload();
  });
  const unit = ticket.packing.unitLabel as UnitLabel;
  const ret = ticket.packing.returnLabel as ReturnLabel;
  return (
    <>
      <StepHeading ticket={ticket} step="ship">
        Pack and ship
      </StepHeading>
      <div className="card">
        <h3>Label and packing slip (R13)</h3>
        <div className="grid-2">
          <div>
            <div className="muted">The unit's label</div>
            <div>
              Ticket <strong className="mono">{unit.ticketNumber}</strong>
            </div>
            <div className="user-text">{unit.partner}</div>
            <div>{unit.direction}</div>
          </div>
          <div>
            <div className="muted">Ships to</div>
            {ticket.packing.shipTo.map((l, i) => (
              <div key={i} className="user-text">
                {l}
              </div>
            ))}
            <div className="muted" style={{ marginTop: '0.4rem' }}>
              Returns to ({ret.service.toLowerCase()}), PO {ret.poNumber}
            </div>
            {ret.returnAddressLines.map((l, i) => (
              <div key={i} className="user-text">
                {l}
              </div>
            ))}
          </div>
        </div>
        <PrintButtons ticketId={ticket.id} />
      </div>
      <div className="card">
        <h3>Packing checklist (R14)</h3>
        <ErrorNotice error={pack.error} title="Not marked packed" />
        <fieldset disabled={!!packed} style={{ border: 'none', padding: 0, margin: 0 }}>
          <legend className="sr-only">What goes in the box</legend>
          {items.map((i) => (
            <label className="check" key={i.id}>
              <input type="checkbox" checked={checked.includes(i.id)} onChange={(e) => setChecked((c) => (e.target.checked ? [...c, i.id] : c.filter((x) => x !== i.id)))} />
              <span>
                {i.label}
                {i.required ? <span className="muted"> (required)</span> : <span className="muted"> (optional)</span>}
              </span>
            </label>
          ))}
        </fieldset>
        {packed ? (
          <p>
            <span aria-hidden="true">✓ </span>Packed by {packed.by}, {when(packed.at)}.
          </p>
        ) : (
          <div className="row" style={{ marginTop: '0.5rem' }}>
            <button type="button" className="primary" disabled={missing.length > 0 || pack.busy || !ticket.nextSteps.includes('packed')} onClick={() => void pack.run()}>
              Mark packed
            </button>
            {missing.length ? <span className="muted">Still to check: {missing.length} required item(s).</span> : null}
            {!ticket.nextSteps.includes('packed') && !missing.length ? <span className="muted">The unit is packed after it is verified.</span> : null}
          </div>
        )}
      </div>
      <div className="card">
        <h3>Ship</h3>
        <ErrorNotice error={ship.error} title="Not marked shipped" />
        {shipped ? (
          <Notice kind="ok" title="Shipped">
            Tracking number <span className="mono">{String(shipped.trackingNumber ?? '')}</span>, by {shipped.by}, {when(shipped.at)}.
          </Notice>
        ) : (
          <div className="row" style={{ alignItems: 'end' }}>
            <div className="field">
              <label htmlFor="tracking">Outbound tracking number</label>
              <input id="tracking" type="text" value={tracking} onChange={(e) => setTracking(e.target.value)} autoComplete="off" aria-describedby="tracking-hint" />
              <span className="hint" id="tracking-hint">
                8 to 34 letters or digits, no spaces. Ship overnight.
              </span>
            </div>
            <button type="button" className="primary" disabled={!packed || !tracking.trim() || ship.busy} onClick={() => void ship.run()}>
              Mark shipped
            </button>
          </div>
        )}
      </div>
    </>
  );
}
