// A ticket's audit trail: who did what when, from the engine's hash-chained audit log, and the
// log's own verification said plainly — intact, or the entry where it was edited.
import type { StepProps } from './step-frame.tsx';
import { when } from '../../app/format.ts';
import { useCall, useEvent } from '../../app/use-engine.ts';
import { Badge } from '../../components/Badge.tsx';
import { ErrorNotice, Notice } from '../../components/Notice.tsx';
import { auditFacts, auditWhat, type AuditRow } from './timeline/audit-words.ts';

/** A checklist step carries the moment it happened, which may be earlier than its recording. */
function stepAt(e: AuditRow): string | null {
  const at = e.details?.at;
  return e.action === 'ticket.advance' && typeof at === 'string' ? at : null;
}

type Verdict = { ok: true; entries: number; head?: string } | { ok: false; entries: number; seq: number; kind: string; message: string };

function VerifyNotice({ v, mine }: { v: Verdict; mine: boolean }) {
  if (v.ok) {
    return (
      <Notice kind="ok" title="The audit log is intact">
        All {v.entries} entries of the bench's audit log check out: none was edited, removed or reordered.
      </Notice>
    );
  }
  return (
    <Notice kind="error" title={`The audit log was ${v.kind} at entry ${v.seq}`}>
      <span className="user-text">{v.message}</span> {mine ? 'That entry is marked in this ticket’s timeline below.' : 'That entry belongs to another ticket or to the bench.'}
    </Notice>
  );
}

export function TicketTimeline({ ticket }: StepProps) {
  const list = useCall('audit.list', { ticketId: ticket.id }, [ticket.id]);
  const verify = useCall('audit.verify', {});
  useEvent('ticket.changed', (d) => {
    if (d.ticketId !== ticket.id) return;
    list.reload();
    verify.reload();
  });
  const rows = (list.data ?? []) as AuditRow[];
  const v = verify.data as Verdict | null;
  const badSeq = v && !v.ok ? v.seq : null;
  return (
    <>
      <h2 id="step-heading" tabIndex={-1}>
        Timeline
      </h2>
      <p className="muted">Every change to ticket {ticket.request.ticketNumber} and every destructive action on its units, as the audit log recorded them.</p>
      <ErrorNotice error={verify.error} title="The audit log could not be verified" />
      {v ? <VerifyNotice v={v} mine={badSeq !== null && rows.some((r) => r.seq === badSeq)} /> : null}
      <ErrorNotice error={list.error} title="The audit trail could not be read" />
      {list.data && rows.length === 0 ? <p className="muted">Nothing recorded for this ticket yet.</p> : null}
      {rows.length ? (
        <div className="card" style={{ padding: 0 }}>
          <table className="data" aria-label="Audit trail">
            <thead>
              <tr>
                <th scope="col" className="num">
                  Entry
                </th>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Check</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr key={e.seq}>
                  <td className="num mono">{e.seq}</td>
                  <td>
                    {when(stepAt(e) ?? e.at)}
                    {stepAt(e) && stepAt(e) !== e.at ? <div className="muted">recorded {when(e.at)}</div> : null}
                  </td>
                  <td className="user-text">{e.actor}</td>
                  <td>
                    <strong>{auditWhat(e)}</strong>
                    {auditFacts(e) ? <div className="muted user-text">{auditFacts(e)}</div> : null}
                  </td>
                  <td>
                    {badSeq === e.seq && v && !v.ok ? (
                      <Badge tone="danger" icon="✖">
                        {`${v.kind} here`}
                      </Badge>
                    ) : v ? (
                      v.ok || e.seq < (badSeq ?? Infinity) ? (
                        <Badge tone="ok" icon="✔">
                          intact
                        </Badge>
                      ) : (
                        <Badge icon="◌">after the break</Badge>
                      )
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
