// What the merge did, per system (R18), and each encrypted agent's state: unlocked (its pairing
// resumes) or still locked, with a passphrase field to unlock it now (after a reload, a resumed
// merge, or a passphrase that was not given before).
import { useState } from 'react';
import type { JobView } from '../../../electron/api/schemas/jobs.ts';
import { engine } from '../../app/engine.ts';
import { actor } from '../../app/session.ts';
import { useAction } from '../../app/use-engine.ts';
import { Badge } from '../../components/Badge.tsx';
import { Field } from '../../components/Field.tsx';
import { ErrorNotice, Notice } from '../../components/Notice.tsx';
import { resultLook, type MergeSystem } from './merge-words.ts';
import { jobEnd } from './wait-job.ts';

export interface UnlockState {
  state: 'running' | 'unlocked' | 'failed';
  message?: string;
  code?: string;
}

interface MergeResultView {
  ok: boolean;
  ticketId: string;
  destination: string;
  systems: MergeSystem[];
  ticket?: { advanced: boolean; note?: string };
}

/** Starts an unlock job for one merged agent and waits for its end. */
export async function unlockAgent(dataset: string, passphrase: string, ticketId: string | undefined): Promise<UnlockState> {
  const job = await engine.call('jobs.start', { kind: 'unlock', params: { dataset, passphrase, ...(ticketId ? { ticketId } : {}), actor: actor() } });
  const end = await jobEnd(job.id);
  if (end.state === 'done') return { state: 'unlocked' };
  return { state: 'failed', message: end.error?.message ?? `The unlock ${end.state}.`, code: end.error?.code };
}

function AgentCell({ s, ticketId, unlock, onUnlocked }: { s: MergeSystem; ticketId: string; unlock?: UnlockState; onUnlocked(u: UnlockState): void }) {
  const [value, setValue] = useState('');
  const act = useAction(async () => {
    const pass = value;
    setValue('');
    onUnlocked({ state: 'running' });
    onUnlocked(await unlockAgent(s.dataset!, pass, ticketId));
  });
  if (!s.encrypted) return <span className="muted">not encrypted</span>;
  if (s.outcome !== 'merged' && s.outcome !== 'new') return <span className="muted">nothing received</span>;
  const state = unlock?.state ?? (s.agentState === 'unlocked' ? 'unlocked' : 'locked');
  if (state === 'unlocked') return <Badge tone="ok" icon="✔">unlocked: its pairing resumes</Badge>;
  if (state === 'running') return <Badge tone="info" icon="▶">unlocking…</Badge>;
  return (
    <div className="stack">
      <Badge tone="warn" icon="■">locked: needs its passphrase</Badge>
      <Field name={`unlock-${s.system}`} label={`Passphrase for ${s.system}`} errors={unlock?.state === 'failed' ? [`${unlock.message?.split('\n')[0] ?? ''} (code ${unlock.code ?? '?'})`] : undefined}>
        <input type="password" autoComplete="off" spellCheck={false} value={value} onChange={(e) => setValue(e.target.value)} />
      </Field>
      <button type="button" onClick={() => void act.run()} disabled={!value || act.busy}>
        Unlock {s.system}
      </button>
      <ErrorNotice error={act.error} />
    </div>
  );
}

export function MergeResult({ job, unlocks, setUnlock }: { job: JobView; unlocks: Record<string, UnlockState>; setUnlock(system: string, u: UnlockState): void }) {
  const r = job.result as MergeResultView | undefined;
  if (!r) return null;
  return (
    <section className="card" aria-labelledby="merge-result-h">
      <h2 id="merge-result-h">Result</h2>
      {r.ok ? (
        <Notice kind="ok" title={`Every system of ticket ${r.ticketId} is in ${r.destination}`} />
      ) : (
        <Notice kind="warn" title="Not every system was merged">
          The others are as they were; the table says why.
        </Notice>
      )}
      {r.ticket?.note ? <p className="muted user-text">{r.ticket.note}</p> : r.ticket?.advanced ? <p>The ticket is recorded as merged.</p> : null}
      <table className="data" aria-label="Merge result per system">
        <thead>
          <tr>
            <th scope="col">System</th>
            <th scope="col">Outcome</th>
            <th scope="col" className="num">
              Points received
            </th>
            <th scope="col">Agent</th>
          </tr>
        </thead>
        <tbody>
          {r.systems.map((s) => {
            const look = resultLook(s);
            return (
              <tr key={s.system}>
                <th scope="row" className="mono user-text">
                  {s.system}
                </th>
                <td>
                  <Badge tone={look.tone} icon={look.icon}>
                    {look.word}
                  </Badge>
                  <div className="user-text">{s.message}</div>
                </td>
                <td className="num">{s.received?.length ?? 0}</td>
                <td>
                  <AgentCell s={s} ticketId={r.ticketId} unlock={unlocks[s.system]} onUnlocked={(u) => setUnlock(s.system, u)} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
