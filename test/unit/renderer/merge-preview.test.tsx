// @vitest-environment happy-dom
// The merge preview's rollback choice (R18): a refused system names its newer points; ticking its
// rollback asks first, in a dialog naming each point that is lost; "keep them" allows nothing,
// only the confirm does; unticking needs no question.
import { cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { MergePreview } from '../../../renderer/screens/merge/MergePreview.tsx';
import type { MergeSystem } from '../../../renderer/screens/merge/merge-words.ts';

afterEach(cleanup);

const SYSTEMS: MergeSystem[] = [
  {
    system: 'LNX-WEB01',
    dataset: 'tank/agents/LNX-WEB01',
    outcome: 'refused',
    code: 'MERGE_NEWER_POINTS',
    message: 'LNX-WEB01: tank/agents/LNX-WEB01 holds 2 points newer than the common point.',
    common: { name: '1700000000', guid: '1' },
    newer: [
      { name: '1700003600', guid: '2', time: 1700003600 },
      { name: 'manual-before-move', guid: '3' },
    ],
  },
  { system: 'WIN-FS01', outcome: 'up-to-date', message: 'WIN-FS01: already there.' },
];

function Harness({ seen }: { seen: string[][] }) {
  const [allowed, setAllowed] = useState<string[]>([]);
  seen.push(allowed);
  return <MergePreview systems={SYSTEMS} into="tank/agents" allowed={allowed} onAllow={(s, on) => setAllowed((c) => (on ? [...c, s] : c.filter((x) => x !== s)))} />;
}

describe('MergePreview', () => {
  it('names the newer points, asks before a rollback and allows it only on the confirm', async () => {
    const user = userEvent.setup();
    const seen: string[][] = [];
    render(<Harness seen={seen} />);
    const row = screen.getByRole('row', { name: /^LNX-WEB01/ });
    expect(row.textContent).toContain('refused: the destination holds newer points');
    expect(row.textContent).toContain('1700003600 (2023-11-14 23:13 UTC)');
    expect(row.textContent).toContain('manual-before-move');
    expect(screen.getByRole('row', { name: /^WIN-FS01/ }).textContent).toContain('not needed');

    const box = within(row).getByRole('checkbox', { name: 'Allow a rollback of LNX-WEB01…' });
    await user.click(box);
    const dialog = screen.getByRole('alertdialog', { name: 'Discard 2 newer point(s) of LNX-WEB01?' });
    expect(dialog.textContent).toContain('1700003600');
    expect(dialog.textContent).toContain('manual-before-move');
    await user.click(within(dialog).getByRole('button', { name: 'Keep them' }));
    expect(seen.at(-1)).toEqual([]);
    expect((box as HTMLInputElement).checked).toBe(false);

    await user.click(box);
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Discard them and merge' }));
    expect(seen.at(-1)).toEqual(['LNX-WEB01']);
    // Taking the choice back needs no question.
    await user.click(within(screen.getByRole('row', { name: /^LNX-WEB01/ })).getByRole('checkbox'));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(seen.at(-1)).toEqual([]);
  });
});
