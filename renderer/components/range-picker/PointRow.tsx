// One point of the range picker's timeline: its time and name, then each of its states as an icon
// with its text label. Its accessible name says the same states in words.
import type { MouseEvent, ReactElement } from 'react';
import { BadgeIcon } from './badge-icons.tsx';
import { BADGE_TEXT, badgesOf, deletedWhere } from './point-words.ts';
import { when } from '../../../electron/chain/points.ts';
import type { PickerModel, PickerState } from './range-rules.ts';

export interface PointRowProps {
  id: string;
  model: PickerModel;
  state: PickerState;
  index: number;
  top: number;
  height: number;
  selected: boolean;
  focused: boolean;
  onClick(index: number, e: MouseEvent): void;
  onDoubleClick(index: number): void;
}

export function PointRow({ id, model, state, index, top, height, selected, focused, onClick, onDoubleClick }: PointRowProps): ReactElement {
  const row = model.rows[index];
  const badges = badgesOf(model, state, index);
  const classes = ['rt-range-row', selected && 'rt-range-row--selected', focused && 'rt-range-row--focused', !row.point.syncable && 'rt-range-row--fixed'].filter(Boolean).join(' ');
  return (
    <div
      id={id}
      role="option"
      aria-selected={selected}
      aria-posinset={index + 1}
      aria-setsize={model.rows.length}
      className={classes}
      style={{ height, transform: `translateY(${top}px)` }}
      // Shift-click extends the range; without this the browser would also select the text between.
      onMouseDown={(e) => e.shiftKey && e.preventDefault()}
      onClick={(e) => onClick(index, e)}
      onDoubleClick={() => onDoubleClick(index)}
    >
      {/* The row's text is its accessible name: the visible words, with the punctuation and the
          "cannot be synced" a listener needs in visually hidden text (point-words.ts rowName says
          the same). No aria-label, so what a speech-input user sees is what they can say. */}
      <span className="rt-range-line">
        <span className="rt-range-when">{when(row.point.time)}</span> <Hidden>(</Hidden>
        <span className="rt-range-name">{row.point.name}</span>
        <Hidden>)</Hidden>
      </span>
      <span className="rt-range-badges">
        {badges.map((b) => (
          <span key={b} className={`rt-range-badge rt-range-badge--${b}`}>
            <Hidden>, </Hidden>
            <BadgeIcon badge={b} />
            {b === 'deleted' ? `${BADGE_TEXT.deleted} ${deletedWhere(row)}` : BADGE_TEXT[b]}
          </span>
        ))}
        {!row.point.syncable && !row.lock ? <Hidden>, cannot be synced</Hidden> : null}
      </span>
    </div>
  );
}

/** Text for screen readers only. */
function Hidden({ children }: { children: string }): ReactElement {
  return <span className="rt-range-sr">{children}</span>;
}
