// Merge-back of a unit (R18): the unit read from its drive or its NAS, the destination chosen, what happens
// to each system shown before anything runs (rollbacks allowed one by one, after a dialog), the
// encrypted agents' passphrases checked against the unit first, then the merge as a job followed
// live (cancel, resume), its result per system and the agents unlocked so their pairing resumes.
// A sealed unit is read only with its unit passphrase, asked first and held in this screen's state.
// A unit of sealed disk images is not merged: the screen points to Unseal images instead.
import { useEffect, useRef, useState } from 'react';
import { engine } from '../../app/engine.ts';
import { routeHref } from '../../app/router.ts';
import { actor, useNasForUnits } from '../../app/session.ts';
import { asEngineError, useAction, useCall } from '../../app/use-engine.ts';
import { ErrorNotice, Notice } from '../../components/Notice.tsx';
import { JobPanel } from '../ticket/run/JobPanel.tsx';
import { paramsOf, useLatestJob } from '../ticket/run/use-ticket-job.ts';
import { jobOfUnit, unitKey, unitRefOf, type RoutedUnit } from './unit-ref.ts';
import { useUnitManifest } from './use-unit-manifest.ts';
import { AgentPassphrases } from './AgentPassphrases.tsx';
import { DestinationChoice } from './DestinationChoice.tsx';
import { UnitPassphraseField } from './UnitPassphraseField.tsx';
import { isPassphraseError } from './unit-passphrase-errors.ts';
import { MergePreview } from './MergePreview.tsx';
import { MergeResult, unlockAgent, type UnlockState } from './MergeResult.tsx';
import { receives, type MergeSystem } from './merge-words.ts';
import { jobEnd } from './wait-job.ts';
import { holdsSealedImages } from '../units/unit-layout.ts';

export function MergeScreen({ unit: routed }: { unit: RoutedUnit }) {
  const nas = useNasForUnits((x) => x.nasForUnits);
  const ref = unitRefOf(routed, nas);
  const unit = useUnitManifest(ref);
  const manifest = unit.manifest;
  const [into, setInto] = useState('');
  const [allowed, setAllowed] = useState<string[]>([]);
  const live = useLatestJob(`merge:${ref ? unitKey(ref) : ''}`, (j) => j.kind === 'merge' && !!ref && jobOfUnit(j, ref));
  const running = live.job?.state === 'running' || live.job?.state === 'cancelling';
  const sealed = manifest?.layout === 'zfs-sealed';
  // A unit of sealed disk images has no points to merge: its way back is the Unseal screen.
  const images = !!manifest && holdsSealedImages(manifest.layout);
  // The unit passphrase as typed, and as handed to the engine with "Open the unit".
  const [unitTyped, setUnitTyped] = useState('');
  const [unitPassphrase, setUnitPassphrase] = useState('');
  const unitOpen = sealed ? (unitPassphrase ? { unitPassphrase } : null) : {};
  // Not while a merge of this unit runs: the engine opens a unit for one session at a time, so a
  // preview would wait for the merge to end.
  const preview = useCall('merge.preview', ref && into && manifest && !images && unitOpen && !running ? { ...ref, into, allowRollback: allowed, ...unitOpen } : null, [into, allowed.join('\n'), live.job?.state, unitPassphrase]);
  const unitErrors = sealed && unitPassphrase && preview.error && isPassphraseError(preview.error) ? [`${preview.error.message.split('\n')[0]} (code ${preview.error.code})`] : [];
  const systems = (preview.data?.systems ?? []) as MergeSystem[];
  const agents = systems.filter((s) => s.encrypted && receives(s)).map((s) => s.system);

  // Passphrases: typed into the fields (state), then, once the engine accepted them, held in memory
  // only until the agents are unlocked after the merge. Both are emptied when the step ends or fails.
  const [typed, setTyped] = useState<Record<string, string>>({});
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const held = useRef(new Map<string, string>());
  const [checked, setChecked] = useState<string[]>([]);
  const [unlocks, setUnlocks] = useState<Record<string, UnlockState>>({});
  const forget = () => {
    held.current.clear();
    setTyped({});
    setChecked([]);
  };
  useEffect(() => () => held.current.clear(), []);

  const start = useAction(async () => {
    setFieldErrors({});
    setUnlocks({});
    const errs: Record<string, string[]> = {};
    for (const a of agents) {
      try {
        await engine.call('units.checkPassphrase', { ...ref!, system: a, passphrase: typed[a] ?? '', ...unitOpen });
      } catch (e) {
        const err = asEngineError(e);
        errs[a] = [`${err.message.split('\n')[0]} (code ${err.code})`];
      }
    }
    if (Object.keys(errs).length) {
      setFieldErrors(errs);
      forget();
      return;
    }
    for (const a of agents) held.current.set(a, typed[a]);
    setTyped({});
    setChecked(agents);
    try {
      const job = await engine.call('jobs.start', { kind: 'merge', params: { ...ref!, into, allowRollback: allowed, actor: actor(), ...unitOpen } });
      const end = await jobEnd(job.id);
      const result = end.result as { ticketId?: string; systems?: MergeSystem[] } | undefined;
      if (end.state !== 'done' || !result?.systems) return;
      for (const s of result.systems) {
        const pass = held.current.get(s.system);
        if (!pass || !s.dataset || s.agentState !== 'locked') continue;
        setUnlocks((u) => ({ ...u, [s.system]: { state: 'running' } }));
        const u = await unlockAgent(s.dataset, pass, result.ticketId).catch((e: unknown) => ({ state: 'failed' as const, message: asEngineError(e).message, code: asEngineError(e).code }));
        setUnlocks((cur) => ({ ...cur, [s.system]: u }));
      }
    } finally {
      forget();
    }
  });

  // The unit's newest merge, until another destination is chosen (a reload finds it again).
  const shown = live.job !== null && (!into || paramsOf(live.job).into === into);
  const missing = agents.filter((a) => !typed[a]);
  const toReceive = systems.filter(receives);
  const canStart = !!into && !!unitOpen && preview.data && !preview.error && !preview.loading && toReceive.length > 0 && missing.length === 0 && !running && !start.busy;

  return (
    <>
      <p>
        <a href={routeHref({ screen: 'units' })}>← Units</a>
      </p>
      <h1>Merge back</h1>
      <div aria-busy={unit.loading ? 'true' : undefined}>
        {!ref ? (
          <Notice kind="warn" title="Which NAS?">
            This is a NAS unit: name the NAS under &quot;NAS units&quot; on the <a href={routeHref({ screen: 'units' })}>Units</a> screen first.
          </Notice>
        ) : null}
        <ErrorNotice error={unit.error} title="This unit cannot be read" />
        {manifest === null ? <Notice kind="warn" title="Nothing to merge">No sync finished on this unit: it holds no manifest.</Notice> : null}
        {ref && images ? (
          <Notice kind="info" title="This unit holds sealed disk images">
            Ticket <span className="mono">{manifest.ticketId}</span>: its images are not merged into a pool but unsealed into a folder with the unit passphrase.{' '}
            {'device' in ref ? <a href={routeHref({ screen: 'unseal', device: ref.device })}>Unseal images…</a> : null}
          </Notice>
        ) : null}
        {ref && manifest && !images ? (
          <p>
            The unit{' '}
            {'device' in ref ? (
              <span className="mono">{ref.device}</span>
            ) : (
              <>
                <span className="mono user-text">{ref.nasDataset}</span> on the NAS <span className="mono user-text">{ref.nas.host}</span>
              </>
            )}
            : ticket <span className="mono">{manifest.ticketId}</span>
            {sealed ? (
              <>, sealed (encrypted): its systems are listed once the unit passphrase is entered.</>
            ) : (
              <>
                , {manifest.systems.length} system(s): {manifest.systems.map((s) => `${s.system} (${s.points} point${s.points === 1 ? '' : 's'}${s.encrypted ? ', encrypted' : ''})`).join(', ')}.
              </>
            )}
          </p>
        ) : null}
      </div>
      {manifest && sealed ? (
        <UnitPassphraseField
          value={unitTyped}
          onChange={setUnitTyped}
          onOpen={() => {
            // The same passphrase again asks the engine again (after a refusal).
            if (unitTyped === unitPassphrase) preview.reload();
            setUnitPassphrase(unitTyped);
          }}
          errors={unitErrors}
          state={!unitPassphrase ? 'typing' : unitErrors.length ? 'refused' : !into ? 'waiting' : preview.data && !preview.error ? 'opened' : 'typing'}
          busy={!!unitPassphrase && preview.loading}
          disabled={running || start.busy}
        />
      ) : null}
      {manifest && !images ? (
        <>
          <DestinationChoice
            value={into}
            disabled={running || start.busy}
            onChange={(d) => {
              setInto(d);
              setAllowed([]);
            }}
          />
          {into ? (
            <section aria-labelledby="merge-preview-h" aria-busy={preview.loading ? 'true' : undefined}>
              <h2 id="merge-preview-h">What will happen</h2>
              {sealed && (!unitPassphrase || unitErrors.length) ? <p className="muted">Open the unit with its passphrase above: the engine reads what the merge would do from the sealed unit.</p> : null}
              {unitErrors.length ? null : <ErrorNotice error={preview.error} />}
              {preview.data ? (
                <MergePreview systems={systems} into={into} allowed={allowed} disabled={running || start.busy} onAllow={(s, on) => setAllowed((cur) => (on ? [...new Set([...cur, s])] : cur.filter((x) => x !== s)))} />
              ) : null}
            </section>
          ) : null}
          {preview.data ? (
            <AgentPassphrases agents={agents} values={typed} errors={fieldErrors} checked={checked} disabled={start.busy || running} onChange={(a, v) => setTyped((t) => ({ ...t, [a]: v }))} />
          ) : null}
          {preview.data ? (
            <div className="row" style={{ margin: '0.75rem 0' }}>
              <button type="button" className="primary" disabled={!canStart} onClick={() => void start.run()}>
                {agents.length ? 'Check the passphrases and merge' : 'Start the merge'}
                {toReceive.length ? ` (${toReceive.length} system${toReceive.length === 1 ? '' : 's'})` : ''}
              </button>
              {!toReceive.length ? <span className="muted">Nothing to receive into this destination.</span> : null}
              {missing.length && toReceive.length ? <span className="muted">Enter the passphrase of {missing.join(', ')}.</span> : null}
            </div>
          ) : null}
          {Object.keys(fieldErrors).length ? (
            <Notice kind="error" title="Nothing was merged">
              The engine refused the passphrase of {Object.keys(fieldErrors).join(', ')} (its sentence is next to the field). Nothing was changed; type it again.
            </Notice>
          ) : null}
          <ErrorNotice error={start.error} title="The merge did not start" />
          {shown ? <JobPanel live={live} what="Merge" /> : null}
          {shown && live.job?.state === 'done' ? <MergeResult job={live.job} unlocks={unlocks} setUnlock={(s, u) => setUnlocks((cur) => ({ ...cur, [s]: u }))} /> : null}
        </>
      ) : null}
    </>
  );
}
