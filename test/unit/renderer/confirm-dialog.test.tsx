// @vitest-environment happy-dom
// The question asked before a cancel: a dialog that takes the focus, closes on
// Escape without acting, acts only on its confirm button, and has no ARIA violations.
import { cleanup, render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfirmDialog } from '../../../renderer/components/ConfirmDialog.tsx';

afterEach(cleanup);

function Harness({ onConfirm }: { onConfirm(): void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Cancel…
      </button>
      <ConfirmDialog open={open} title="Cancel the sync?" confirmLabel="Cancel it" cancelLabel="Keep it running" danger onConfirm={onConfirm} onClose={() => setOpen(false)}>
        <p>The engine stops the job cleanly.</p>
      </ConfirmDialog>
    </>
  );
}

describe('ConfirmDialog', () => {
  it('asks first: Escape and "keep" do nothing, "confirm" acts once', async () => {
    const user = userEvent.setup();
    const onConfirm = vi.fn();
    render(<Harness onConfirm={onConfirm} />);
    await user.click(screen.getByRole('button', { name: 'Cancel…' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Cancel the sync?' });
    // The focus moves into the dialog (and stays there until it closes).
    expect(dialog.contains(document.activeElement)).toBe(true);
    const axe = (await import('axe-core')).default;
    const r = await axe.run(dialog, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, rules: { 'color-contrast': { enabled: false } } });
    expect(r.violations.map((v) => v.id)).toEqual([]);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(onConfirm).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Cancel…' }));
    await user.click(screen.getByRole('button', { name: 'Keep it running' }));
    expect(onConfirm).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Cancel…' }));
    await user.click(screen.getByRole('button', { name: 'Cancel it' }));
    expect(onConfirm).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });
});
