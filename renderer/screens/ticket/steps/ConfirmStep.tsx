// The last look before anything is erased (R9): each drive with what is on it now, the points
// that will be written, whether local backups pause, how the unit is protected (issue 21: sealed or
// an explicit "unencrypted"), who is notified. The sync starts only after the technician types the
// last four characters of the drive's serial (the ticket number's when a drive reports none).
// Nothing is erased before that.
import { useState } from 'react';
import { engine } from '../../../app/engine.ts';
import { bytes, when } from '../../../app/format.ts';
import { routeHref, useRouter } from '../../../app/router.ts';
import { actor, chosenDrives, locksOf, nasOf, useNas, useSession } from '../../../app/session.ts';
import { useAction, useCall } from '../../../app/use-engine.ts';
import { ErrorNotice, Notice } from '../../../components/Notice.tsx';
import { usePlan } from '../plan/use-plan.ts';
import { StepHeading, type StepProps } from '../step-frame.tsx';
import { chosenProtection, ProtectionChoice, type Protection } from './ProtectionChoice.tsx';

interface PreviewDrive {
  device: string;
  title: string;
  model?: string | null;
  serial?: string | null;
  sizeBytes: number;
  contents: Array<{ device?: string; fsType?: string | null; label?: string | null; sizeBytes?: number; pool?: string | null; description?: string }>;
  willUnmount: string[];
}

/** What the technician types: the last four characters of the first drive's serial, else of the ticket number. */
export function confirmationCode(serial: string | null | undefined, ticketNumber: string): { code: string; what: string } {
  const s = (serial ?? '').trim();
  if (s.length >= 4) return { code: s.slice(-4).toUpperCase(), what: 'the last four characters of the drive’s serial' };
  return { code: ticketNumber.slice(-4), what: 'the last four digits of the ticket number (the drive reports no serial)' };
}

export function ConfirmStep({ ticket }: StepProps) {
  useSession((s) => s.drives[ticket.id]);
  useNas((s) => s.nas[ticket.id]);
  const nasTicket = ticket.request.unit.kind === 'nas-unit';
  const nasChoice = nasTicket ? nasOf(ticket.id) : null;
  const drives = nasTicket ? [] : chosenDrives(ticket.id);
  const layout = ticket.request.format.filesystem;
  const preview = useCall('drives.erasePreview', drives.length ? { devices: drives, layout, label: `RT${ticket.id}` } : null, [drives.join(','), layout]);
  const plan = usePlan(ticket.id, ticket.updatedAt);
  const [pause, setPause] = useState(true);
  const [typed, setTyped] = useState('');
  const [picked, setPicked] = useState<Protection | null>(null);
  const go = useRouter((s) => s.go);
  const pdrives = ((preview.data as { drives?: PreviewDrive[] } | null)?.drives ?? []) as PreviewDrive[];
  const { code, what } = nasChoice ? { code: ticket.request.ticketNumber, what: 'the ticket number (the unit is a NAS)' } : confirmationCode(pdrives[0]?.serial, ticket.request.ticketNumber);
  const matches = typed.trim().toUpperCase() === code;
  const localBackups = (plan.data as { localBackups?: { configured: boolean; sentence: string } } | null)?.localBackups;
  const protection = chosenProtection(plan.data?.protection, picked);
  const start = useAction(async () => {
    const locks = locksOf(ticket.id);
    const job = await engine.call('jobs.start', {
      kind: 'sync',
      params: { ticketId: ticket.id, protection: protection!, ...(nasChoice ? { nas: nasChoice.nas, nasPool: nasChoice.pool } : { drives }), actor: actor(), ...(Object.keys(locks).length ? { locks } : {}), ...(localBackups?.configured ? { pauseLocalBackups: pause } : {}) },
    });
    go({ screen: 'ticket', ticketId: ticket.id, step: 'run' });
    return job;
  });
  const emails = ticket.request.notifyEmails ? ticket.request.notifyEmails.split(',') : [];
  const synced = ticket.steps.find((s) => s.step === 'synced');
  const ran = synced ? (
    <Notice kind="ok" title="This ticket is synced">
      {synced.by} recorded the sync on {when(synced.at)}; see the <a href={routeHref({ screen: 'ticket', ticketId: ticket.id, step: 'run' })}>Run</a> step. Starting again erases the unit and writes it anew.
    </Notice>
  ) : null;

  if (!drives.length && !nasChoice) {
    return (
      <>
        <StepHeading ticket={ticket} step="confirm">
          Confirm
        </StepHeading>
        {ran}
        <Notice kind="info" title={nasTicket ? 'No NAS unit chosen' : 'No drive chosen'}>
          Choose {nasTicket ? 'the NAS unit and its pool' : 'the drives'} on the <a href={routeHref({ screen: 'ticket', ticketId: ticket.id, step: 'drives' })}>Drives</a> step first.
        </Notice>
      </>
    );
  }
  return (
    <>
      <StepHeading ticket={ticket} step="confirm">
        Confirm
      </StepHeading>
      {ran}
      {nasChoice ? (
        <>
          <Notice kind="warn" title="Starting the sync writes the ticket's dataset on the NAS (R9)">
            A new run replaces what an earlier run of this ticket wrote there. This cannot be undone.
          </Notice>
          <div className="card">
            <h3>Where it goes</h3>
            <p>
              The dataset <span className="mono">{nasChoice.pool}/rt_{ticket.id}</span> on <span className="mono">{nasChoice.nas.host}</span>
              {nasChoice.nas.port && nasChoice.nas.port !== 22 ? ` (port ${nasChoice.nas.port})` : ''}, over ssh as {nasChoice.nas.user ?? 'root'}.
            </p>
          </div>
        </>
      ) : (
        <Notice kind="warn" title="Starting the sync erases everything on these drives (R9)">
          A new run on the same drives erases what an earlier run wrote. This cannot be undone.
        </Notice>
      )}
      <ErrorNotice error={preview.error} title="The drives cannot be erased" />
      <div className="card" hidden={!!nasChoice}>
        <h3>What will be erased</h3>
        {preview.loading && !preview.data ? <p className="muted">The engine is looking at the drives…</p> : null}
        {pdrives.map((d) => (
          <div key={d.device} style={{ marginBottom: '0.75rem' }}>
            <strong className="user-text">{d.title}</strong>
            <div className="muted">
              Model {d.model ?? 'unknown'} · serial <span className="mono">{d.serial ?? 'none reported'}</span> · {bytes(d.sizeBytes)}
            </div>
            {d.contents.length ? (
              <ul>
                {d.contents.map((c, i) => (
                  <li key={i} className="user-text">
                    {c.description ?? [c.device, c.fsType, c.label ? `“${c.label}”` : null, c.pool ? `pool ${c.pool}` : null, c.sizeBytes ? bytes(c.sizeBytes) : null].filter(Boolean).join(' · ')}
                  </li>
                ))}
              </ul>
            ) : (
              <div>Blank: no partition, filesystem or pool found.</div>
            )}
            {d.willUnmount.length ? <div style={{ color: 'var(--rt-warn)' }}>Will be unmounted first: {d.willUnmount.join(', ')}</div> : null}
          </div>
        ))}
      </div>
      <div className="card">
        <h3>What will be written</h3>
        {/* Without the plan the protection cannot be chosen, so the sync cannot start: say why. */}
        <ErrorNotice error={plan.error} title="The engine cannot plan this sync" />
        {plan.data ? (
          <ul>
            {plan.data.systems.map((s) => (
              <li key={s.system}>
                <span className="mono user-text">{s.system}</span>: {s.points.length} point{s.points.length === 1 ? '' : 's'}
                {s.points.length ? ` (${s.points[0]} … ${s.points[s.points.length - 1]})` : ''}, {bytes(s.bytes)}
                {s.lock ? `, on top of the lock ${s.lock}` : ', in full'}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">The engine is planning…</p>
        )}
        <h3>Local backups (R9)</h3>
        {localBackups ? (
          <>
            <label className="check">
              <input type="checkbox" checked={pause} onChange={(e) => setPause(e.target.checked)} disabled={!localBackups.configured} />
              <span>Pause the appliance's local backups during the sync, and resume them after it</span>
            </label>
            <p className="muted user-text">{localBackups.sentence}</p>
          </>
        ) : (
          <p className="muted">{plan.data ? 'The engine does not say how local backups are handled on this bench.' : 'Asking the engine how local backups are handled…'}</p>
        )}
        <h3 id="protection-h">Protection</h3>
        <ProtectionChoice offer={plan.data?.protection} value={protection} onChange={setPicked} disabled={start.busy} labelledBy="protection-h" />
        <h3>Who is notified</h3>
        <p className="user-text">{emails.length ? emails.join(', ') : 'Nobody: the ticket has no notification e-mails.'}</p>
      </div>
      <div className="card">
        <ErrorNotice error={start.error} title="The sync did not start" />
        <div className="field" style={{ maxWidth: 420 }}>
          <label htmlFor="confirm-code">Type {what} to start</label>
          <input id="confirm-code" type="text" autoComplete="off" value={typed} onChange={(e) => setTyped(e.target.value)} aria-describedby="confirm-hint" />
          <span id="confirm-hint" className="hint">
            Expected: {code.length} characters. {matches ? 'It matches.' : 'Not yet.'}
          </span>
          {!protection && plan.data ? <span className="hint">Choose the unit&apos;s protection above first.</span> : null}
        </div>
        <div className="row" style={{ marginTop: '0.75rem' }}>
          <button type="button" className="danger" disabled={!matches || !protection || start.busy || (!nasChoice && !preview.data)} onClick={() => void start.run()}>
            {nasChoice ? 'Write the NAS unit and start the sync' : `Erase ${pdrives.length || drives.length} drive${drives.length === 1 ? '' : 's'} and start the sync`}
          </button>
        </div>
      </div>
    </>
  );
}
