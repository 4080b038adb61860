// The sync as it runs (a sealed unit's passphrase shown until it is passed on), then the unit's
// verification, then the ticket's record of both. After a reload or an engine restart the same
// job is found again (the engine runs it, not the page), with its resume when it was interrupted.
import type { JobView } from '../../../../electron/api/schemas/jobs.ts';
import { engine } from '../../../app/engine.ts';
import { bytes, when } from '../../../app/format.ts';
import { routeHref } from '../../../app/router.ts';
import { actor } from '../../../app/session.ts';
import { useAction, useCall } from '../../../app/use-engine.ts';
import { ErrorNotice, Notice } from '../../../components/Notice.tsx';
import { JobPanel } from '../run/JobPanel.tsx';
import { isSealedSync, UnitPassphrasePanel } from '../run/UnitPassphrasePanel.tsx';
import { SealedVerifyPassphrase } from '../run/SealedVerifyPassphrase.tsx';
import { useEffect, useState } from 'react';
import { paramsOf, useLatestJob, useTicketJob } from '../run/use-ticket-job.ts';
import { StepHeading, type StepProps } from '../step-frame.tsx';

interface SyncResult {
  pipeline?: string;
  bytes?: number;
  totalBytes?: number;
  systems?: Array<{ system: string; points?: number; bytesSent?: number }>;
  verify?: { ok?: boolean } | null;
  verified?: boolean;
  /** A NAS unit's dataset. */
  dataset?: string;
}
interface VerifyResult {
  ok?: boolean;
  pointsChecked?: number;
  sourceCompared?: boolean;
  /** A sealed unit: every file opened with the unit passphrase (true), or presence and size only (false). */
  authenticated?: boolean;
  mismatches?: Array<{ system: string; point: string; problem: string }>;
}

function syncDrives(j: JobView | null): string[] {
  const d = j ? paramsOf(j).drives : undefined;
  return Array.isArray(d) ? (d as string[]) : [];
}

export function RunStep({ ticket, reload }: StepProps) {
  const sync = useTicketJob(ticket.id, 'sync');
  const drives = syncDrives(sync.job);
  const since = sync.job?.startedAt ?? '';
  const result = (sync.job?.state === 'done' ? sync.job.result : null) as SyncResult | null;
  // A NAS unit is verified by its dataset on the NAS; a drive unit by its (first) drive.
  const nas = sync.job ? (paramsOf(sync.job).nas as { host: string } | undefined) : undefined;
  const nasDataset = result?.dataset;
  const verify = useLatestJob(`verify:${drives.join(',')}:${nasDataset ?? ''}:${since}`, (j) => {
    const p = paramsOf(j);
    return j.kind === 'verify' && j.startedAt >= since && (nas ? p.nasDataset === nasDataset : drives.includes(String(p.device)));
  });
  // A sealed unit is verified with its passphrase: the one the engine holds for the sync, or typed.
  const sealed = !!sync.job && isSealedSync(sync.job);
  const held = useCall('units.sealedPassphrase', sealed && result ? { jobId: sync.job!.id } : null, [sync.job?.id, sealed, !!result]);
  // Asked again while held: once passed on (here or in another window), the field takes its place.
  const stillHeld = !!held.data?.passphrase;
  useEffect(() => {
    if (!stillHeld) return;
    const t = setInterval(held.reload, 2000);
    return () => clearInterval(t);
  }, [stillHeld, held.reload]);
  const [unitTyped, setUnitTyped] = useState('');
  // Asked again on the click: another window may have passed the passphrase on since.
  const sealedParams = async () => {
    if (!sealed) return {};
    if (unitTyped.trim()) return { unitPassphrase: unitTyped.trim() };
    const now = await engine.call('units.sealedPassphrase', { jobId: sync.job!.id });
    return now.passphrase ? { sealedSyncJobId: sync.job!.id } : {};
  };
  const startVerify = useAction(async () =>
    engine.call('jobs.start', { kind: 'verify', params: nas && nasDataset ? { nas: nas as never, nasDataset } : { device: drives[0], ...(await sealedParams()) } }),
  );
  const verifyFailure = verify.job?.state === 'failed' ? verify.job.error : null;
  const passphraseRefused = sealed && !!verifyFailure && ['UNIT_PASSPHRASE_WRONG', 'UNIT_PASSPHRASE_NEEDED', 'KEY_RECORD_DAMAGED'].includes(verifyFailure.code);
  const vres = (verify.job?.state === 'done' ? verify.job.result : null) as VerifyResult | null;
  const synced = ticket.steps.find((s) => s.step === 'synced');
  const verified = ticket.steps.find((s) => s.step === 'verified');
  const record = useAction(async () => {
    if (!result) return;
    if (!synced) await engine.call('tickets.advance', { ticketId: ticket.id, step: 'synced', bytes: result.bytes ?? result.totalBytes ?? 0, actor: actor() });
    if (vres?.ok && !verified) await engine.call('tickets.advance', { ticketId: ticket.id, step: 'verified', actor: actor(), note: `${vres.pointsChecked ?? 0} point(s) checked${vres.sourceCompared ? ' against the manifest and the source' : ' against the manifest'}.` });
    reload();
  });

  return (
    <>
      <StepHeading ticket={ticket} step="run">
        Run
      </StepHeading>
      {!sync.job && !sync.loading ? (
        <Notice kind="info" title="No sync has started for this ticket">
          Start it on the <a href={routeHref({ screen: 'ticket', ticketId: ticket.id, step: 'confirm' })}>Confirm</a> step.
        </Notice>
      ) : null}
      {sync.job ? <UnitPassphrasePanel job={sync.job} /> : null}
      {sync.job ? <JobPanel live={sync} what="Sync" systems /> : null}
      {sync.job?.state === 'interrupted' ? (
        <Notice kind="warn" title="The engine stopped while this sync ran">
          Resume continues from its journal on the same drives; nothing already written is sent again.
        </Notice>
      ) : null}
      {result ? (
        <div className="card">
          <h3>Synced</h3>
          <p>
            {bytes(result.bytes ?? result.totalBytes ?? 0)} written
            {result.systems ? ` for ${result.systems.length} system${result.systems.length === 1 ? '' : 's'}` : ''}.
          </p>
          {result.systems ? (
            <ul>
              {result.systems.map((s) => (
                <li key={s.system}>
                  <span className="mono user-text">{s.system}</span>: last RoundTrip {when(sync.job!.endedAt)}
                  {s.points !== undefined ? `, ${s.points} point(s)` : ''}
                </li>
              ))}
            </ul>
          ) : null}
          {/* Again with the passphrase: after it was refused, or after a check without it. */}
          {!verify.job || passphraseRefused || (sealed && vres?.authenticated === false) ? (
            <>
              {sealed ? <SealedVerifyPassphrase held={!!held.data?.passphrase} value={unitTyped} onChange={setUnitTyped} errors={passphraseRefused && verifyFailure ? [verifyFailure.message] : []} disabled={startVerify.busy} /> : null}
              <ErrorNotice error={startVerify.error} title="The verification did not start" />
              <button type="button" className="primary" onClick={() => void startVerify.run()} disabled={startVerify.busy}>
                Verify the unit
              </button>
            </>
          ) : null}
        </div>
      ) : null}
      {verify.job ? <JobPanel live={verify} what="Verification" /> : null}
      {vres ? (
        <div className="card">
          {vres.ok ? (
            <Notice kind="ok" title="The unit is verified">
              {vres.authenticated === true
                ? `${vres.pointsChecked ?? 0} sealed file(s) opened with the unit passphrase: every record authenticated, every SHA-256 as written.`
                : vres.authenticated === false
                  ? `${vres.pointsChecked ?? 0} sealed file(s) present at their size with the unit's key; not authenticated (no unit passphrase given).`
                  : `${vres.pointsChecked ?? 0} point(s) match${vres.sourceCompared ? ' the manifest and the source' : ' the manifest'}.`}
            </Notice>
          ) : (
            <Notice kind="error" title="The unit failed verification">
              <ul>
                {(vres.mismatches ?? []).slice(0, 50).map((m) => (
                  <li key={m.system + m.point} className="user-text">
                    {m.system} @ {m.point}: {m.problem}
                  </li>
                ))}
              </ul>
            </Notice>
          )}
          <ErrorNotice error={record.error} title="The ticket was not updated" />
          {synced && (verified || !vres.ok) ? (
            <p>
              Recorded on the ticket: synced by {synced.by}, {when(synced.at)}
              {verified ? `; verified by ${verified.by}, ${when(verified.at)}` : ''}. Next: <a href={routeHref({ screen: 'ticket', ticketId: ticket.id, step: 'ship' })}>pack and ship</a>.
            </p>
          ) : (
            <button type="button" className="primary" onClick={() => void record.run()} disabled={record.busy || !ticket.nextSteps.some((s) => s === 'synced' || s === 'verified')}>
              Record “synced”{vres.ok ? ' and “verified”' : ''} on the ticket
            </button>
          )}
        </div>
      ) : null}
    </>
  );
}
