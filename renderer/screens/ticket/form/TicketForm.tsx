// The intake form (R16, with R10's address list, R13's serial and R15's unit provider): every
// field of a request, and the engine's per-field errors next to each input, all at once, with a
// summary on top that links to each. The form never judges a field itself: the engine does.
import { useState, type FormEvent } from 'react';
import { REGIONS } from '../../../../electron/tickets/model/ticket-schema.ts';
import type { TicketInputRaw } from '../../../../electron/tickets/model/ticket-schema.ts';
import type { EngineError } from '../../../api/client.ts';
import { Field, fieldId } from '../../../components/Field.tsx';
import { fieldIssues } from '../../../components/FieldErrors.tsx';
import { ErrorNotice, Notice } from '../../../components/Notice.tsx';
import { emptySystem, errorsByInput, inputKeyOf, toRequest, type SystemRow, type TicketFormState } from './ticket-form-model.ts';

const REGION_LABEL: Record<(typeof REGIONS)[number], string> = {
  usa: 'USA (Reading, PA)',
  emea: 'EMEA',
  canada: 'Canada (Toronto)',
  anz: 'Australia / New Zealand (Sydney)',
};

export interface TicketFormProps {
  initial: TicketFormState;
  submitLabel: string;
  /** Sends the request to the engine; a rejection with TICKET_INVALID fills the field errors. */
  onSubmit(request: TicketInputRaw): Promise<unknown>;
  /** The ticket number cannot change once the ticket exists (it is its id). */
  lockTicketNumber?: boolean;
}

export function TicketForm({ initial, submitLabel, onSubmit, lockTicketNumber }: TicketFormProps) {
  const [f, setF] = useState<TicketFormState>(initial);
  const [error, setError] = useState<EngineError | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const issues = fieldIssues(error);
  const byInput = errorsByInput(issues);
  const err = (k: string) => byInput.get(k);
  const set = <K extends keyof TicketFormState>(k: K, v: TicketFormState[K]) => {
    setSaved(false);
    setF((s) => ({ ...s, [k]: v }));
  };
  const setSystem = (i: number, patch: Partial<SystemRow>) => set('systems', f.systems.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const text = (k: keyof TicketFormState, extra: Record<string, unknown> = {}) => (
    <input type="text" value={f[k] as string} onChange={(e) => set(k, e.target.value as never)} {...extra} />
  );

  // A Reverse RoundTrip restores from the offsite copy, and "every point not yet offsite" is a
  // forward RoundTrip's selection: both follow the direction.
  function changeDirection(d: TicketFormState['direction']) {
    setSaved(false);
    setF((s) => ({
      ...s,
      direction: d,
      sourceLocation: d === 'reverse' ? 'offsite' : 'appliance',
      systems: s.systems.map((r) => (d === 'reverse' && r.kind === 'newer-than-lock' ? { ...r, kind: 'latest' } : r)),
    }));
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSubmit(toRequest(f));
      setSaved(true);
    } catch (x) {
      setError(x as EngineError);
      // The summary takes the focus, so a keyboard user hears what to fix.
      setTimeout(() => document.getElementById('form-problems')?.focus(), 0);
    } finally {
      setBusy(false);
    }
  }

  const reverse = f.direction === 'reverse';
  return (
    <form onSubmit={submit} noValidate aria-label="Ticket request">
      {error ? (
        <div id="form-problems" tabIndex={-1}>
          {issues.length ? (
            <Notice kind="error" title={`The engine found ${issues.length} problem${issues.length === 1 ? '' : 's'} in this ticket`}>
              <ul>
                {issues.map((i) => (
                  <li key={i.field + i.message}>
                    <a href={`#${fieldId(inputKeyOf(i.field))}`} onClick={(ev) => { ev.preventDefault(); document.getElementById(fieldId(inputKeyOf(i.field)))?.focus(); }}>
                      <span className="user-text">{i.message}</span>
                    </a>
                  </li>
                ))}
              </ul>
            </Notice>
          ) : (
            <ErrorNotice error={error} title="The ticket was not saved" />
          )}
        </div>
      ) : null}
      {saved ? <Notice kind="ok" title="Saved">The engine accepted the ticket.</Notice> : null}

      <fieldset>
        <legend>Request</legend>
        <div className="grid-3">
          <Field name="ticketNumber" label="Support ticket number" hint="6 to 10 digits, optionally starting with T" errors={err('ticketNumber')}>
            {text('ticketNumber', { readOnly: lockTicketNumber, inputMode: 'numeric', autoComplete: 'off' })}
          </Field>
          <Field name="direction" label="Direction" errors={err('direction')}>
            <select value={f.direction} onChange={(e) => changeDirection(e.target.value as TicketFormState['direction'])}>
              <option value="forward">RoundTrip (appliance → unit → data center)</option>
              <option value="reverse">Reverse RoundTrip (offsite → unit → partner)</option>
            </select>
          </Field>
          <Field name="applianceSerial" label="Appliance serial (PO number)" hint="Printed on the label as the PO number" errors={err('applianceSerial')}>
            {text('applianceSerial', { autoComplete: 'off' })}
          </Field>
        </div>
      </fieldset>

      <fieldset>
        <legend>File format (R1)</legend>
        <div className="grid-3">
          <Field name="format.layout" label="What goes on the unit" errors={err('format.layout')}>
            <select value={f.layout} onChange={(e) => { const l = e.target.value as TicketFormState['layout']; set('layout', l); if (l === 'datasets') set('filesystem', 'zfs'); else if (f.filesystem === 'zfs' && l === 'browsable') set('filesystem', 'ntfs'); }}>
              <option value="datasets">ZFS datasets (deltas only; can be merged back)</option>
              <option value="browsable">Browsable folders (every point in full)</option>
              <option value="image">Disk image export (full images)</option>
            </select>
          </Field>
          <Field name="format.filesystem" label="Filesystem" errors={err('format.filesystem')}>
            <select value={f.filesystem} onChange={(e) => set('filesystem', e.target.value as TicketFormState['filesystem'])}>
              <option value="zfs">ZFS</option>
              <option value="ntfs">NTFS (Windows)</option>
              <option value="ext4">EXT4 (Linux)</option>
            </select>
          </Field>
          {f.layout === 'image' ? (
            <Field name="format.imageFormat" label="Image format" errors={err('format.imageFormat')}>
              <select value={f.imageFormat} onChange={(e) => set('imageFormat', e.target.value as TicketFormState['imageFormat'])}>
                <option value="raw">raw</option>
                <option value="vhd">VHD</option>
                <option value="vhdx">VHDX</option>
                <option value="vmdk">VMDK</option>
              </select>
            </Field>
          ) : null}
        </div>
      </fieldset>

      <fieldset>
        <legend>Protected systems and their points (R16)</legend>
        {err('systems') ? <p className="error" style={{ color: 'var(--rt-danger)' }}>{err('systems')!.join(' ')}</p> : null}
        {f.systems.map((r, i) => (
          <div className="grid-3" key={i} style={{ marginBottom: '0.75rem', alignItems: 'end' }}>
            <Field name={`systems[${i}].name`} label={`System ${i + 1} name`} errors={err(`systems[${i}].name`)}>
              <input type="text" value={r.name} onChange={(e) => setSystem(i, { name: e.target.value })} autoComplete="off" />
            </Field>
            <Field name={`systems[${i}].points`} label={`System ${i + 1} points`} errors={err(`systems[${i}].points`)}>
              <select value={r.kind} onChange={(e) => setSystem(i, { kind: e.target.value as SystemRow['kind'] })}>
                {!reverse ? <option value="newer-than-lock">Every point not yet offsite</option> : null}
                <option value="latest">The most recent point</option>
                <option value="one">One point</option>
                <option value="range">A date range</option>
              </select>
            </Field>
            {r.kind === 'one' ? (
              <Field name={`systems[${i}].point`} label="Point (name or epoch seconds)">
                <input type="text" value={r.point} onChange={(e) => setSystem(i, { point: e.target.value })} />
              </Field>
            ) : null}
            {r.kind === 'range' ? (
              <div className="row" style={{ alignItems: 'end' }}>
                <Field name={`systems[${i}].from`} label="From (point or date)">
                  <input type="text" value={r.from} onChange={(e) => setSystem(i, { from: e.target.value })} />
                </Field>
                <Field name={`systems[${i}].to`} label="To">
                  <input type="text" value={r.to} onChange={(e) => setSystem(i, { to: e.target.value })} />
                </Field>
              </div>
            ) : null}
            {f.systems.length > 1 ? (
              <div>
                <button type="button" onClick={() => set('systems', f.systems.filter((_, j) => j !== i))} aria-label={`Remove system ${i + 1}${r.name ? ` (${r.name})` : ''}`}>
                  Remove
                </button>
              </div>
            ) : null}
          </div>
        ))}
        <button type="button" onClick={() => set('systems', [...f.systems, emptySystem(f.direction)])}>
          + Add a system
        </button>
      </fieldset>

      <fieldset>
        <legend>Source</legend>
        <div className="grid-3">
          <Field name="source.location" label="Points come from" errors={err('source.location')}>
            <select value={f.sourceLocation} onChange={(e) => set('sourceLocation', e.target.value as TicketFormState['sourceLocation'])}>
              <option value="appliance">The appliance</option>
              <option value="offsite">The offsite copy</option>
            </select>
          </Field>
          <Field name="source.host" label="Source host (optional)" errors={err('source.host')}>
            {text('sourceHost')}
          </Field>
          <Field name="source.estimatedBytes" label="Estimated size, GB (optional)" hint="From the Offsite Audit Report" errors={err('source.estimatedBytes')}>
            {text('estimatedGb', { inputMode: 'decimal' })}
          </Field>
        </div>
      </fieldset>

      <fieldset>
        <legend>Unit and shipping (R13, R15)</legend>
        <div className="grid-3">
          <Field name="unit.providedBy" label="Who provides the unit" errors={err('unit.providedBy')}>
            <select value={f.providedBy} onChange={(e) => set('providedBy', e.target.value as TicketFormState['providedBy'])}>
              <option value="datacenter">Our data center lends it</option>
              <option value="partner">The partner supplies its own</option>
            </select>
          </Field>
          <Field name="unit.kind" label="Unit kind" errors={err('unit.kind')}>
            <select value={f.unitKind} onChange={(e) => set('unitKind', e.target.value as TicketFormState['unitKind'])}>
              <option value="usb-drive">USB drive(s), up to 8 TB</option>
              <option value="nas-unit">NAS unit (ZFS, over 8 TB)</option>
            </select>
          </Field>
          {f.providedBy === 'partner' ? (
            <Field name="unit.inboundTracking" label="Inbound tracking number" errors={err('unit.inboundTracking')}>
              {text('inboundTracking')}
            </Field>
          ) : null}
          <Field name="shipping.region" label="Region (return data center)" errors={err('shipping.region')}>
            <select value={f.region} onChange={(e) => set('region', e.target.value as TicketFormState['region'])}>
              {REGIONS.map((r) => (
                <option key={r} value={r}>
                  {REGION_LABEL[r]}
                </option>
              ))}
            </select>
          </Field>
        </div>
        {!reverse ? (
          <label className="check">
            <input type="checkbox" checked={f.withAddress} onChange={(e) => set('withAddress', e.target.checked)} />
            <span>Add a shipping address (a RoundTrip ships to the region's data center without one)</span>
          </label>
        ) : null}
        {reverse || f.withAddress ? (
          <>
            {err('shipping.address') ? <p style={{ color: 'var(--rt-danger)' }}>{err('shipping.address')!.join(' ')}</p> : null}
            <div className="grid-3">
              <Field name="shipping.address.recipient" label="Recipient" errors={err('shipping.address.recipient')}>
                {text('recipient')}
              </Field>
              <Field name="shipping.address.company" label="Company (optional)" errors={err('shipping.address.company')}>
                {text('company')}
              </Field>
              <Field name="shipping.address.phone" label="Phone (optional)" errors={err('shipping.address.phone')}>
                {text('phone', { type: 'tel' })}
              </Field>
              <Field name="shipping.address.street" label="Street (one line each, up to 3)" errors={err('shipping.address.street')}>
                <textarea rows={3} value={f.street} onChange={(e) => set('street', e.target.value)} />
              </Field>
              <Field name="shipping.address.city" label="City" errors={err('shipping.address.city')}>
                {text('city')}
              </Field>
              <Field name="shipping.address.state" label="State or province (optional)" errors={err('shipping.address.state')}>
                {text('state')}
              </Field>
              <Field name="shipping.address.postalCode" label="Postal code" errors={err('shipping.address.postalCode')}>
                {text('postalCode')}
              </Field>
              <Field name="shipping.address.country" label="Country" errors={err('shipping.address.country')}>
                {text('country')}
              </Field>
            </div>
          </>
        ) : null}
      </fieldset>

      <fieldset>
        <legend>Partner and contact</legend>
        {err('partner') ? <p style={{ color: 'var(--rt-danger)' }}>{err('partner')!.join(' ')}</p> : null}
        <div className="grid-3">
          <Field name="partner.name" label="Partner name" hint="The label shows the name or the reseller ID" errors={err('partner.name')}>
            {text('partnerName')}
          </Field>
          <Field name="partner.resellerId" label="Reseller ID" errors={err('partner.resellerId')}>
            {text('resellerId')}
          </Field>
          <Field name="contact.name" label="Technical contact" errors={err('contact.name')}>
            {text('contactName')}
          </Field>
          <Field name="contact.email" label="Contact e-mail" errors={err('contact.email')}>
            {text('contactEmail', { type: 'email' })}
          </Field>
          <Field name="contact.phone" label="Contact phone (optional)" errors={err('contact.phone')}>
            {text('contactPhone', { type: 'tel' })}
          </Field>
          <Field name="notifyEmails" label="Notification e-mails" hint="Comma-separated, no spaces: a@example.com,b@example.com" errors={err('notifyEmails')}>
            {text('notifyEmails', { autoComplete: 'off' })}
          </Field>
        </div>
      </fieldset>

      <fieldset>
        <legend>Instructions</legend>
        <Field name="instructions" label="Specific instructions (optional)" errors={err('instructions')} wide>
          <textarea value={f.instructions} onChange={(e) => set('instructions', e.target.value)} />
        </Field>
        <label className="check">
          <input type="checkbox" checked={f.disasterRecovery} onChange={(e) => set('disasterRecovery', e.target.checked)} aria-describedby="dr-hint" />
          <span>
            Disaster-recovery ticket <span id="dr-hint" className="muted">(all fees are waived, R6)</span>
          </span>
        </label>
        {err('disasterRecovery') ? <p style={{ color: 'var(--rt-danger)' }}>{err('disasterRecovery')!.join(' ')}</p> : null}
      </fieldset>

      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
      </div>
    </form>
  );
}
