// The RoundTrip units this bench can reach (R18, R19): each read from its own drives, or a NAS
// unit from its own dataset on the NAS the technician names (a unit from another bench shows from
// its manifest), with its ticket, systems, points, verify state and encrypted agents, and the way
// back from here: merge it, verify it as a kept unit, or unseal its disk images into a folder.
// Follows hot-plug.
import { useState } from 'react';
import type { AttachedUnit } from '../../../electron/api/schemas/units.ts';
import { when } from '../../app/format.ts';
import { routeHref } from '../../app/router.ts';
import { useNasForUnits } from '../../app/session.ts';
import { useCall, useEvent } from '../../app/use-engine.ts';
import { Badge } from '../../components/Badge.tsx';
import { ErrorNotice, Notice } from '../../components/Notice.tsx';
import { NasUnitsLookup } from './NasUnitsLookup.tsx';
import { holdsSealedImages, isSealedUnit, layoutWords } from './unit-layout.ts';

function VerifyBadge({ v }: { v: AttachedUnit['verify'] }) {
  if (v.state === 'verified') return <Badge tone="ok" icon="✔">{`verified${v.at ? ` ${when(v.at)}` : ''}${v.by ? ` by ${v.by}` : ''}`}</Badge>;
  if (v.state === 'failed') return <Badge tone="danger" icon="✖">verification failed</Badge>;
  if (v.state === 'running') return <Badge tone="info" icon="▶">verifying</Badge>;
  return <Badge icon="◌">not verified on this bench</Badge>;
}

function Systems({ unit }: { unit: AttachedUnit }) {
  // A sealed unit's public manifest names no system: they are read with its passphrase.
  if (holdsSealedImages(unit.layout) && !unit.systems.length) {
    return <span className="muted">its systems&apos; images are listed once the unit passphrase is entered (Unseal images)</span>;
  }
  if (isSealedUnit(unit.layout) && !unit.systems.length) {
    return <span className="muted">systems are listed once the unit passphrase is entered (Merge)</span>;
  }
  if (!unit.systems.length) return <span className="muted">none</span>;
  return (
    <ul style={{ margin: 0, paddingLeft: '1rem' }}>
      {unit.systems.map((s) => (
        <li key={s.system}>
          <span className="mono user-text">{s.system}</span> <span className="muted">({s.kind}, {s.points.length} point{s.points.length === 1 ? '' : 's'})</span>{' '}
          {s.encrypted ? <Badge tone="warn" icon="■">encrypted: needs its passphrase</Badge> : null}
        </li>
      ))}
    </ul>
  );
}

function UnitRow({ unit }: { unit: AttachedUnit }) {
  const device = unit.devices[0];
  const name = unit.ticketId ? `ticket ${unit.ticketId}` : unit.label;
  const missing = unit.drivesExpected - unit.devices.length;
  return (
    <tr>
      <th scope="row">
        <span className="mono user-text">{unit.label}</span>
        <div className="muted">
          {unit.nas ? `${layoutWords(unit.layout)} on the NAS ${unit.nas.host}` : `${layoutWords(unit.layout)} on ${unit.devices.join(', ')}`}
        </div>
        {missing > 0 ? <Badge tone="danger" icon="⚠">{`${missing} of its ${unit.drivesExpected} drives not attached`}</Badge> : null}
      </th>
      <td>
        {unit.ticketId ? <span className="mono">{unit.ticketId}</span> : <span className="muted">no ticket</span>}
        <div className="muted">
          {unit.direction ? `${unit.direction === 'reverse' ? 'Reverse' : 'Forward'} RoundTrip` : ''}
          {unit.endedAt ? ` · synced ${when(unit.endedAt)}` : ''}
        </div>
        {unit.ticketId && !unit.knownTicket ? <Badge tone="info" icon="ℹ">from another bench: read from its manifest</Badge> : null}
      </td>
      <td>
        <Systems unit={unit} />
      </td>
      <td>
        {unit.sealed ? <Badge tone="ok" icon="✔">sealed manifest</Badge> : <Badge tone="danger" icon="✖">not sealed</Badge>}
        {unit.problem ? <div className="muted user-text">{unit.problem}</div> : null}
        <div>
          <VerifyBadge v={unit.verify} />
        </div>
      </td>
      <td>
        {unit.nas ? (
          <NasUnitActions unit={unit} />
        ) : unit.sealed && holdsSealedImages(unit.layout) && missing <= 0 ? (
          <a className="button nowrap" href={routeHref({ screen: 'unseal', device })}>
            Unseal images…<span className="sr-only"> ({name})</span>
          </a>
        ) : unit.sealed && (unit.layout === 'zfs' || isSealedUnit(unit.layout)) && missing <= 0 ? (
          <div className="stack">
            <a className="button nowrap" href={routeHref({ screen: 'merge', device })}>
              Merge back…<span className="sr-only"> ({name})</span>
            </a>
            {unit.layout === 'zfs' ? (
              <a className="button" href={routeHref({ screen: 'verify-kept', device })}>
                Verify as a kept unit…<span className="sr-only"> ({name})</span>
              </a>
            ) : null}
          </div>
        ) : (
          <span className="muted">{holdsSealedImages(unit.layout) ? 'Nothing to unseal yet.' : unit.layout === 'zfs' ? 'Nothing to merge yet.' : 'Its files are read directly.'}</span>
        )}
      </td>
    </tr>
  );
}

/** A NAS unit's way back: merged from the NAS over ssh (docs/merge.md). */
function NasUnitActions({ unit }: { unit: AttachedUnit }) {
  if (!unit.sealed || unit.layout !== 'zfs') return <span className="muted">Nothing to merge yet.</span>;
  return (
    <a className="button" href={routeHref({ screen: 'merge-nas', dataset: unit.nas!.dataset })}>
      Merge back…<span className="sr-only"> (ticket {unit.ticketId})</span>
    </a>
  );
}

export function UnitsScreen() {
  const nas = useNasForUnits((s) => s.nasForUnits);
  const list = useCall('units.list', nas ? { nas } : {}, [JSON.stringify(nas)]);
  const [changes, setChanges] = useState<string[]>([]);
  useEvent('drives.changed', (e) => {
    if (e.type === 'drive-changed') return list.reload();
    setChanges((c) => [`${e.type === 'drive-added' ? 'Attached' : 'Removed'}: ${e.device}`, ...c].slice(0, 5));
    list.reload();
  });
  const units = list.data?.units ?? [];
  return (
    <>
      <h1>Units</h1>
      <p className="muted">RoundTrip units attached to this bench, each read from its own drives, and the NAS units on the NAS named below. A unit made on another bench shows what its manifest says.</p>
      <NasUnitsLookup busy={list.loading} />
      <ErrorNotice error={list.error} />
      {changes.length ? (
        <Notice kind="info" title="The drives changed">
          {changes.join(' · ')}
        </Notice>
      ) : null}
      <div aria-busy={list.loading && !list.data ? 'true' : undefined}>
        {!list.data && list.loading ? <p className="muted">Looking at the attached drives…</p> : null}
        {list.data && !units.length ? <Notice kind="info" title="No unit is attached">Plug in a returned unit&apos;s drives{nas ? `, or check the NAS ${nas.host}` : ''}; they appear here.</Notice> : null}
        {units.length ? (
          <table className="data" aria-label="Attached units">
            <thead>
              <tr>
                <th scope="col">Unit</th>
                <th scope="col">Ticket</th>
                <th scope="col">Systems and points</th>
                <th scope="col">State</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {units.map((u) => (
                <UnitRow key={u.unitId} unit={u} />
              ))}
            </tbody>
          </table>
        ) : null}
        {list.data?.notes.length ? (
          <Notice kind="warn" title="What could not be read as a unit">
            <ul>
              {list.data.notes.map((n) => (
                <li key={n} className="user-text">
                  {n}
                </li>
              ))}
            </ul>
          </Notice>
        ) : null}
      </div>
    </>
  );
}
