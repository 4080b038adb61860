// Verify a unit the partner keeps (R19): choose or type its device, run the verify-kept job, follow
// each check as it ends (contents, file restore, VHD and VMDK export, health) with its evidence,
// then open the HTML report or download the PDF the engine wrote.
import { useState } from 'react';
import type { KeptCheckView } from '../../../electron/api/schemas/jobs.ts';
import { engine } from '../../app/engine.ts';
import { useRouter } from '../../app/router.ts';
import { actor } from '../../app/session.ts';
import { useAction, useCall } from '../../app/use-engine.ts';
import { ErrorNotice, Notice } from '../../components/Notice.tsx';
import { JobPanel } from '../ticket/run/JobPanel.tsx';
import { paramsOf, useLatestJob } from '../ticket/run/use-ticket-job.ts';
import { KeptChecks } from './KeptChecks.tsx';
import { downloadReport, openReport } from './report-files.ts';

interface KeptResult {
  ok: boolean;
  checks: KeptCheckView[];
  unit?: { ticketId: string; unitId: string };
}

function DevicePicker({ device }: { device: string }) {
  const go = useRouter((s) => s.go);
  const [typed, setTyped] = useState(device);
  const drives = useCall('drives.list', { includeLoops: true });
  const list = (drives.data?.drives ?? []).map((d) => d.device);
  return (
    <form
      className="row"
      style={{ alignItems: 'flex-end' }}
      onSubmit={(e) => {
        e.preventDefault();
        if (typed.trim()) go({ screen: 'verify-kept', device: typed.trim() });
      }}
    >
      <div className="field">
        <label htmlFor="kept-device">Device of the unit</label>
        <input id="kept-device" list="kept-devices" value={typed} onChange={(e) => setTyped(e.target.value)} placeholder="/dev/sdb" spellCheck={false} aria-describedby="kept-device-hint" />
        <datalist id="kept-devices">
          {list.map((d) => (
            <option key={d} value={d} />
          ))}
        </datalist>
        <span id="kept-device-hint" className="hint">
          Type the device, or choose one of the {list.length} attached drives.
        </span>
      </div>
      <button type="submit">Use this device</button>
    </form>
  );
}

export function VerifyKeptScreen({ device }: { device: string }) {
  const live = useLatestJob(`verify-kept:${device}`, (j) => j.kind === 'verify-kept' && paramsOf(j).device === device);
  const start = useAction(async () => engine.call('jobs.start', { kind: 'verify-kept', params: { device, actor: actor() } }));
  const open = useAction(openReport);
  const save = useAction(downloadReport);
  const job = live.job;
  const running = job?.state === 'running' || job?.state === 'cancelling';
  const result = job?.state === 'done' ? (job.result as KeptResult | undefined) : undefined;
  const checks = result?.checks ?? job?.keptChecks ?? [];
  return (
    <>
      <h1>Verify a kept unit</h1>
      <p className="muted">
        Before the service ends, the partner's unit is checked from the unit alone: every point against its manifest, files restored from a point, a volume exported as VHD and VMDK, and the
        unit's health. The report is what the partner keeps.
      </p>
      <DevicePicker key={device} device={device} />
      {device ? (
        <>
          <div className="row" style={{ margin: '1rem 0' }}>
            <button type="button" className="primary" disabled={running || start.busy} onClick={() => void start.run()}>
              {job ? 'Verify again' : 'Verify the kept unit'} on <span className="mono">{device}</span>
            </button>
          </div>
          <ErrorNotice error={start.error} title="The verification could not start" />
          {job ? (
            <>
              <h2>Checks</h2>
              <KeptChecks checks={checks} current={running ? (live.progress?.step ?? null) : null} running={running} />
              {result ? (
                <div className="card">
                  {result.ok ? (
                    <Notice kind="ok" title="Every check passed">
                      The kept unit{result.unit ? ` of ticket ${result.unit.ticketId}` : ''} is readable and complete.
                    </Notice>
                  ) : (
                    <Notice kind="error" title="The kept unit failed a check">
                      {checks
                        .filter((c) => c.status === 'failed')
                        .map((c) => c.title)
                        .join('; ')}
                    </Notice>
                  )}
                  <h3>Report</h3>
                  <ErrorNotice error={open.error ?? save.error} title="The report could not be read" />
                  <div className="row">
                    <button type="button" onClick={() => void open.run(job.id, 'html')} disabled={open.busy}>
                      Open the report (HTML)
                    </button>
                    <button type="button" onClick={() => void save.run(job.id, 'pdf')} disabled={save.busy}>
                      Download the report (PDF)
                    </button>
                    <button type="button" onClick={() => void save.run(job.id, 'html')} disabled={save.busy}>
                      Download the report (HTML)
                    </button>
                  </div>
                </div>
              ) : null}
              <JobPanel live={live} what="Kept-unit verification" />
            </>
          ) : live.loading ? null : (
            <p className="muted">This unit has not been verified from this bench yet.</p>
          )}
        </>
      ) : null}
    </>
  );
}
