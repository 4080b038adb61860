// One distinct shape per point state, drawn inline so it needs no font or asset. Always shown with
// its text label beside it (point-words.ts), never alone, and hidden from screen readers, which read
// the label.
import type { ReactElement } from 'react';
import type { Badge } from './point-words.ts';

const PATHS: Record<Badge, ReactElement> = {
  // A tick: the point goes on the unit.
  'in-range': <path d="M3 8.5l3 3 7-7" />,
  // A bar and a triangle pointing in: where the range starts.
  first: (
    <>
      <path d="M4 3v10" />
      <path d="M7 4l6 4-6 4z" />
    </>
  ),
  // A triangle and a bar: where the range ends.
  last: (
    <>
      <path d="M3 4l6 4-6 4z" />
      <path d="M12 3v10" />
    </>
  ),
  // A padlock.
  lock: (
    <>
      <rect x="3" y="7" width="10" height="7" rx="1" />
      <path d="M5.5 7V5a2.5 2.5 0 015 0v2" />
    </>
  ),
  // A target: where the lock may go.
  'lock-target': (
    <>
      <circle cx="8" cy="8" r="5.5" />
      <circle cx="8" cy="8" r="2" />
    </>
  ),
  // An arrow up out of a tray: it can be sent.
  syncable: (
    <>
      <path d="M8 11V2.5M4.5 6L8 2.5 11.5 6" />
      <path d="M2.5 10.5v3h11v-3" />
    </>
  ),
  // A cloud: offsite holds it.
  offsite: <path d="M4.5 12.5h7a3 3 0 00.4-6 4 4 0 00-7.7 1A2.5 2.5 0 004.5 12.5z" />,
  // A bin: retention deletes it.
  deleted: (
    <>
      <path d="M2.5 4.5h11M6 4.5V3h4v1.5" />
      <path d="M4 4.5l.8 9h6.4l.8-9" />
    </>
  ),
};

export function BadgeIcon({ badge }: { badge: Badge }): ReactElement {
  return (
    <svg className="rt-range-icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round">
      {PATHS[badge]}
    </svg>
  );
}
