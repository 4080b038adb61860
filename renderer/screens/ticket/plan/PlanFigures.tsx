// The plan's figures (R1–R3, R6, R8): data, unit size, media, drives, fee and time, with the
// engine's reasons. Shown on the plan step and beside the range picker, where they follow the
// selection.
import { bytes, duration, usd } from '../../../app/format.ts';
import { Notice } from '../../../components/Notice.tsx';
import type { Plan } from './use-plan.ts';

export function PlanFigures({ plan, stale }: { plan: Plan; stale?: boolean }) {
  const p = plan as Plan & { rateMeasured?: boolean };
  return (
    <div aria-busy={stale ? 'true' : undefined}>
      <dl className="figures" aria-label="Plan figures">
        <div>
          <dt>Data to sync</dt>
          <dd data-figure="data">{bytes(plan.dataBytes)}</dd>
        </div>
        <div>
          <dt>Space on the unit</dt>
          <dd data-figure="total">{bytes(plan.totalBytes)}</dd>
        </div>
        <div>
          <dt>Media</dt>
          <dd>{plan.media === 'nas' ? 'NAS unit' : 'USB drive(s)'}</dd>
        </div>
        <div>
          <dt>Drives needed</dt>
          <dd>{plan.media === 'nas' ? '—' : plan.drivesNeeded === null ? 'choose drives' : plan.drivesNeeded}</dd>
        </div>
        <div>
          <dt>Fee{plan.fee.waived ? ' (waived)' : ''}</dt>
          <dd data-figure="fee">{plan.fee.waived ? '$0' : usd(plan.fee.usd)}</dd>
        </div>
        <div>
          <dt>Time{p.rateMeasured ? ' (measured rate)' : ' (at 15 MB/s)'}</dt>
          <dd>{duration(plan.seconds)}</dd>
        </div>
      </dl>
      <p className="muted" style={{ marginTop: '0.6rem' }}>
        <span className="user-text">{plan.mediaReason}</span> <span className="user-text">{plan.fee.explanation}</span>
      </p>
      {plan.warnings.map((w) => (
        <Notice key={w} kind="warn">
          <span className="user-text">{w}</span>
        </Notice>
      ))}
      {plan.passphrasesNeeded.length ? (
        <Notice kind="info" title="Encrypted agents">
          {plan.passphrasesNeeded.join(', ')}: their sizes are estimated until their passphrases are given.
        </Notice>
      ) : null}
    </div>
  );
}
