// Unseal a sealed image unit (layout `images-sealed`) into a folder: what the unit says without its
// key (ticket, how many sealed files, the image format), then the unit passphrase and a folder, an
// `unseal` job followed live (steps, progress, cancel), and each image it wrote with its SHA-256.
// The engine judges the passphrase and the folder; its refusal of either is shown at that field.
// A unit of another layout says what it is and where its way back is.
import { useEffect, useState } from 'react';
import { EngineError } from '../../api/client.ts';
import { engine } from '../../app/engine.ts';
import { bytes } from '../../app/format.ts';
import { routeHref } from '../../app/router.ts';
import { actor } from '../../app/session.ts';
import { useAction, useCall } from '../../app/use-engine.ts';
import { ErrorNotice, Notice } from '../../components/Notice.tsx';
import { JobPanel } from '../ticket/run/JobPanel.tsx';
import { paramsOf, useLatestJob } from '../ticket/run/use-ticket-job.ts';
import { holdsSealedImages, isSealedUnit } from '../units/unit-layout.ts';
import { refusalWords, refusedBeforeWriting, unsealFieldOf } from './unseal-errors.ts';
import { UnsealForm } from './UnsealForm.tsx';
import { UnsealResult, type UnsealResultView } from './UnsealResult.tsx';

/** What the public manifest of a sealed image unit says: no system, only its sealed files. */
interface PublicManifest {
  ticketId: string;
  imageFormat?: string;
  sealed?: { files: Array<{ bytes: number }> };
}

function UnitSummary({ device, m }: { device: string; m: PublicManifest }) {
  const files = m.sealed?.files ?? [];
  return (
    <p>
      The unit <span className="mono">{device}</span>: ticket <span className="mono">{m.ticketId}</span>, {files.length} sealed file{files.length === 1 ? '' : 's'} (
      {bytes(files.reduce((n, f) => n + f.bytes, 0))} on the unit), disk images as <strong>{m.imageFormat ? m.imageFormat.toUpperCase() : 'an unnamed format'}</strong>. The systems and points
      they belong to are read with the unit passphrase.
    </p>
  );
}

/** A unit this screen does not unseal, and where its way back is. */
function OtherLayout({ device, layout }: { device: string; layout: string }) {
  if (isSealedUnit(layout)) {
    return (
      <Notice kind="info" title="This unit holds ZFS points, not disk images">
        Its points go back into a pool: <a href={routeHref({ screen: 'merge', device })}>Merge back…</a>
      </Notice>
    );
  }
  return (
    <Notice kind="info" title="This unit is not sealed">
      Its data is read directly from its drive; see the <a href={routeHref({ screen: 'units' })}>Units</a> screen for what can be done with it.
    </Notice>
  );
}

export function UnsealScreen({ device }: { device: string }) {
  const unit = useCall('units.inspect', { device });
  const layout = unit.data?.metadata.layout ?? '';
  const manifest = unit.data?.manifest as PublicManifest | null | undefined;
  const live = useLatestJob(`unseal:${device}`, (j) => j.kind === 'unseal' && paramsOf(j).device === device);
  const job = live.job;
  const running = job?.state === 'running' || job?.state === 'cancelling';
  // The passphrase as typed: this screen's state only. The engine gets it with the job's start.
  const [passphrase, setPassphrase] = useState('');
  const [folder, setFolder] = useState('');
  const [startedId, setStartedId] = useState<string | null>(null);
  const start = useAction(async () => {
    const j = await engine.call('jobs.start', { kind: 'unseal', params: { device, to: folder.trim(), unitPassphrase: passphrase, actor: actor() } });
    setStartedId(j.id);
  });
  const ownJob = job !== null && job.id === startedId;
  // Once the images are out, the passphrase has done its work here.
  useEffect(() => {
    if (ownJob && job.state === 'done') setPassphrase('');
  }, [ownJob, job?.state]);

  // A refusal at the start, or of the job started here, goes next to the field it is about.
  const jobRefusal = job?.state === 'failed' && job.error ? new EngineError(job.error) : null;
  const refusal = start.error ?? (ownJob ? jobRefusal : null);
  const field = refusal ? unsealFieldOf(refusal) : null;
  const errors = {
    passphrase: refusal && field === 'passphrase' ? [refusalWords(refusal)] : [],
    folder: refusal && field === 'folder' ? [refusalWords(refusal)] : [],
  };
  const atField = field === 'passphrase' || field === 'folder';
  const wroteNothing = !!refusal && refusedBeforeWriting(refusal);
  // A job refused before it wrote anything has nothing to show but its refusal, which is at the
  // field in the window that started it; a run again is a new start from the form.
  const panel = job !== null && !(jobRefusal && refusedBeforeWriting(jobRefusal));
  const result = job?.state === 'done' ? (job.result as UnsealResultView | undefined) : undefined;

  return (
    <>
      <p>
        <a href={routeHref({ screen: 'units' })}>← Units</a>
      </p>
      <h1>Unseal images</h1>
      <p className="muted">
        The disk images on a sealed unit are written into a folder on this bench with the unit passphrase. Each image gets its name only once its SHA-256 is the one the bench checked
        when it sealed it, and the unit&apos;s manifest goes beside them. The unit is only read.
      </p>
      <div aria-busy={unit.loading ? 'true' : undefined}>
        <ErrorNotice error={unit.error} title="This unit cannot be read" />
        {manifest === null ? <Notice kind="warn" title="Nothing to unseal">No sync finished on this unit: it holds no manifest.</Notice> : null}
        {manifest && !holdsSealedImages(layout) ? <OtherLayout device={device} layout={layout} /> : null}
        {manifest && holdsSealedImages(layout) ? <UnitSummary device={device} m={manifest} /> : null}
      </div>
      {manifest && holdsSealedImages(layout) ? (
        <>
          <UnsealForm
            passphrase={passphrase}
            folder={folder}
            onPassphrase={setPassphrase}
            onFolder={setFolder}
            onStart={() => void start.run()}
            errors={errors}
            disabled={running}
            busy={start.busy}
          />
          {atField && wroteNothing ? (
            <Notice kind="error" title="Nothing was unsealed">
              The engine refused the {field === 'passphrase' ? 'unit passphrase' : 'folder'} (its sentence is next to the field); nothing was written. Correct it and start again.
            </Notice>
          ) : atField ? (
            <Notice kind="error" title="Not every image was unsealed">
              The folder refused an image (why, and where, is next to the folder field): a file that is not the image stands under its name, its disk is full, or this bench cannot write there. Any
              image written before it is whole and is kept: fix that and start again, or choose another folder.
            </Notice>
          ) : (
            <ErrorNotice error={start.error} title="The unseal did not start" />
          )}
          {result ? <UnsealResult r={result} /> : null}
          {panel ? <JobPanel live={live} what="Unseal" offerResume={false} /> : null}
        </>
      ) : null}
    </>
  );
}
