// The attached drives with the engine's safety verdict and reasons (R4, R9): refused drives are
// shown but cannot be chosen, the system disk sits behind "show hidden drives", several drives
// chosen together are one striped ZFS unit (R5). The list follows hot-plug as it happens. A ticket
// over 8 TB goes to a NAS unit instead (R3).
import { useMemo, useState } from 'react';
import type { MethodResult } from '../../../../electron/api/contract.ts';
import { bytes } from '../../../app/format.ts';
import { routeHref } from '../../../app/router.ts';
import { chosenDrives, useSession } from '../../../app/session.ts';
import { useCall, useEvent } from '../../../app/use-engine.ts';
import { Badge } from '../../../components/Badge.tsx';
import { ErrorNotice, Notice } from '../../../components/Notice.tsx';
import { usePlan } from '../plan/use-plan.ts';
import { StepHeading, type StepProps } from '../step-frame.tsx';
import { NasTarget } from '../drives/NasTarget.tsx';

type Drive = MethodResult<'drives.list'>['drives'][number] & {
  model?: string | null;
  vendor?: string | null;
  serial?: string | null;
  bus?: string | null;
  lab?: { label: string } | null;
  partitions?: Array<{ device: string; fsType?: string | null; label?: string | null; sizeBytes?: number }>;
};

/** The system disk is never a target: it is listed only on request, so it cannot be mistaken for one. */
const hidden = (d: Drive) => d.verdict.refusals.some((r) => r.code === 'DRIVE_SYSTEM');

export function driveName(d: Drive): string {
  if (d.lab?.label) return `${d.lab.label} (practice drive)`;
  return [d.vendor, d.model].filter(Boolean).join(' ') || d.device;
}

export function DrivesStep({ ticket }: StepProps) {
  const listing = useCall('drives.list', {});
  const [changes, setChanges] = useState<string[]>([]);
  useEvent('drives.changed', (e) => {
    setChanges((c) => [`${e.type === 'drive-added' ? 'Attached' : e.type === 'drive-removed' ? 'Removed' : 'Changed'}: ${e.device}`, ...c].slice(0, 5));
    listing.reload();
  });
  const plan = usePlan(ticket.id, ticket.updatedAt);
  const [showHidden, setShowHidden] = useState(false);
  useSession((s) => s.drives[ticket.id]);
  const setDrives = useSession((s) => s.setDrives);
  const chosen = chosenDrives(ticket.id);
  const drives = (listing.data?.drives ?? []) as Drive[];
  const hiddenCount = drives.filter(hidden).length;
  const shown = showHidden ? drives : drives.filter((d) => !hidden(d));
  const eligible = drives.filter((d) => d.verdict.eligible);
  const present = new Set(drives.map((d) => d.device));
  const chosenHere = chosen.filter((c) => present.has(c));
  const total = useMemo(() => drives.filter((d) => chosenHere.includes(d.device)).reduce((a, d) => a + d.sizeBytes, 0), [drives, chosenHere]);
  const zfs = ticket.request.format.filesystem === 'zfs';
  const nasTicket = plan.data?.media === 'nas' || ticket.request.unit.kind === 'nas-unit';
  const toggle = (dev: string, on: boolean) => setDrives(ticket.id, on ? [...chosenHere, dev] : chosenHere.filter((d) => d !== dev));

  return (
    <>
      <StepHeading ticket={ticket} step="drives">
        Drives
      </StepHeading>
      {nasTicket ? (
        <>
          <Notice kind="info" title={plan.data?.media === 'nas' ? 'This ticket goes on a NAS unit (over 8 TB, R3)' : 'This ticket asks for a NAS unit'}>
            {plan.data?.media === 'nas' ? 'USB drives cannot carry it. ' : ''}Choose the NAS and the pool the unit's dataset goes into.
          </Notice>
          <NasTarget ticketId={ticket.id} />
          <a className="button primary" href={routeHref({ screen: 'ticket', ticketId: ticket.id, step: 'points' })}>
            Next: points →
          </a>
        </>
      ) : null}
      {nasTicket ? null : (
        <>
          <ErrorNotice error={listing.error} title="The drives could not be listed" />
          {listing.data && eligible.length === 0 ? (
            <Notice kind="warn" title="Please attach a RoundTrip drive">
              No attached drive can take this unit: a RoundTrip drive is a USB drive of at least 250 GB (R4). The list updates by itself when one is plugged in.
            </Notice>
          ) : null}
          <div className="card" style={{ padding: 0 }}>
            <table className="data" aria-label="Attached drives">
              <thead>
                <tr>
                  <th scope="col">Use</th>
                  <th scope="col">Drive</th>
                  <th scope="col" className="num">
                    Size
                  </th>
                  <th scope="col">Verdict</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((d) => {
                  const ok = d.verdict.eligible;
                  const label = `${driveName(d)}, ${d.device}, ${bytes(d.sizeBytes)}`;
                  return (
                    <tr key={d.device} aria-disabled={ok ? undefined : 'true'}>
                      <td>
                        <input
                          type="checkbox"
                          aria-label={`Use ${label}`}
                          checked={chosenHere.includes(d.device)}
                          disabled={!ok}
                          onChange={(e) => toggle(d.device, e.target.checked)}
                        />
                      </td>
                      <td>
                        <strong className="user-text">{driveName(d)}</strong>
                        <div className="muted mono">
                          {d.device}
                          {d.serial ? ` · serial ${d.serial}` : ''}
                          {d.bus ? ` · ${d.bus}` : ''}
                        </div>
                      </td>
                      <td className="num">{bytes(d.sizeBytes)}</td>
                      <td>
                        {ok ? (
                          <Badge tone="ok" icon="✔">
                            can be used
                          </Badge>
                        ) : (
                          <Badge tone="danger" icon="✖">
                            refused
                          </Badge>
                        )}
                        {d.verdict.refusals.map((r) => (
                          <div key={r.code} className="user-text">
                            {r.message} <span className="muted mono">({r.code})</span>
                          </div>
                        ))}
                        {d.verdict.warnings.map((w) => (
                          <div key={w.code} className="user-text" style={{ color: 'var(--rt-warn)' }}>
                            <span aria-hidden="true">⚠ </span>
                            {w.message}
                          </div>
                        ))}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <div className="row" style={{ marginBottom: '1rem' }}>
            {hiddenCount > 0 ? (
              <button type="button" onClick={() => setShowHidden((v) => !v)} aria-expanded={showHidden}>
                {showHidden ? `Hide ${hiddenCount} system drive${hiddenCount === 1 ? '' : 's'}` : `Show ${hiddenCount} hidden drive${hiddenCount === 1 ? '' : 's'}`}
              </button>
            ) : null}
            <button type="button" onClick={() => listing.reload()}>
              Look again
            </button>
            <span role="status" className="muted">
              {changes[0] ?? ''}
            </span>
          </div>
          <div className="card">
            {chosenHere.length === 0 ? (
              <p>No drive chosen yet.</p>
            ) : (
              <p>
                <strong>
                  {chosenHere.length === 1
                    ? `One drive: ${bytes(total)}`
                    : zfs
                      ? `One striped ZFS unit (RAID 0, R5) of ${chosenHere.length} drives: ${bytes(total)} in total`
                      : `${chosenHere.length} drives, the points spread across them: ${bytes(total)} in total`}
                </strong>
                {chosenHere.length > 1 && zfs ? <span className="muted"> — losing one drive loses the unit.</span> : null}
              </p>
            )}
            {plan.data && chosenHere.length ? (
              <p className="muted">
                The unit needs {bytes(plan.data.totalBytes)}
                {plan.data.drivesNeeded !== null ? `; drives needed: ${plan.data.drivesNeeded}` : ''}.
              </p>
            ) : null}
            <a className="button primary" href={routeHref({ screen: 'ticket', ticketId: ticket.id, step: 'points' })} aria-disabled={chosenHere.length === 0 ? 'true' : undefined}>
              Next: points →
            </a>
          </div>
        </>
      )}
    </>
  );
}
