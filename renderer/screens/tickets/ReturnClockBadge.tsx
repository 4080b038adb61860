// R7's return clock as words and an icon: due, late after 28 days, overdue after 56, each its own
// word and colour, with the days out.
import { RETURN_STATE_LABEL, type ReturnClock, type ReturnState } from '../../../electron/tickets/model/return-clock.ts';
import { Badge, type Tone } from '../../components/Badge.tsx';

const LOOK: Record<ReturnState, { tone: Tone; icon: string }> = {
  'not-applicable': { tone: 'plain', icon: '–' },
  'not-delivered': { tone: 'plain', icon: '◌' },
  out: { tone: 'ok', icon: '◷' },
  due: { tone: 'info', icon: '◔' },
  late: { tone: 'warn', icon: '⚠' },
  overdue: { tone: 'danger', icon: '✖' },
  returned: { tone: 'ok', icon: '✔' },
  kept: { tone: 'info', icon: '⌂' },
};

export function ReturnClockBadge({ clock }: { clock: ReturnClock }) {
  const look = LOOK[clock.state] ?? LOOK['not-applicable'];
  const days = clock.daysOut !== undefined && ['out', 'due', 'late', 'overdue'].includes(clock.state) ? `, day ${clock.daysOut}` : '';
  return (
    <Badge tone={look.tone} icon={look.icon}>
      {`${RETURN_STATE_LABEL[clock.state] ?? clock.state}${days}`}
    </Badge>
  );
}
