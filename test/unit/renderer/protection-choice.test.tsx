// @vitest-environment happy-dom
// The Confirm step's protection choice (issue 21): with two options the recommended "sealed" is
// preselected and "unencrypted" can be chosen instead; with only "unencrypted" nothing is chosen
// until its box is ticked; each option says its state in words, not colour alone.
import { cleanup, render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { chosenProtection, ProtectionChoice, type Protection } from '../../../renderer/screens/ticket/steps/ProtectionChoice.tsx';

afterEach(cleanup);

const BOTH = { options: ['sealed', 'unencrypted'] as Protection[], recommended: 'sealed' as const, sentence: 'Sealed: the points go onto the drives encrypted.' };
const PLAIN = { options: ['unencrypted'] as Protection[], recommended: 'unencrypted' as const, sentence: 'A NAS unit is written unencrypted.' };

function Harness({ offer, seen }: { offer: typeof BOTH | typeof PLAIN; seen: Array<Protection | null> }) {
  const [picked, setPicked] = useState<Protection | null>(null);
  const value = chosenProtection(offer, picked);
  seen.push(value);
  return (
    <>
      <h3 id="p-h">Protection</h3>
      <ProtectionChoice offer={offer} value={value} onChange={setPicked} labelledBy="p-h" />
    </>
  );
}

describe('chosenProtection', () => {
  it('is the recommended option when there is a choice, nothing when only unencrypted is offered, and the technician’s pick when offered', () => {
    expect(chosenProtection(undefined, null)).toBeNull();
    expect(chosenProtection(BOTH, null)).toBe('sealed');
    expect(chosenProtection(BOTH, 'unencrypted')).toBe('unencrypted');
    expect(chosenProtection(PLAIN, null)).toBeNull();
    expect(chosenProtection(PLAIN, 'unencrypted')).toBe('unencrypted');
    expect(chosenProtection(PLAIN, 'sealed')).toBeNull();
  });
});

describe('ProtectionChoice', () => {
  it('preselects sealed as recommended and switches to unencrypted', async () => {
    const seen: Array<Protection | null> = [];
    render(<Harness offer={BOTH} seen={seen} />);
    const group = screen.getByRole('radiogroup', { name: 'Protection' });
    expect(group).toBeTruthy();
    const sealed = screen.getByRole('radio', { name: /^Sealed \(encrypted\)/ }) as HTMLInputElement;
    expect(sealed.checked).toBe(true);
    expect(sealed.closest('label')!.textContent).toMatch(/recommended.*chosen/);
    await userEvent.click(screen.getByText('Unencrypted'));
    expect((screen.getByRole('radio', { name: /^Unencrypted/ }) as HTMLInputElement).checked).toBe(true);
    expect(seen.at(-1)).toBe('unencrypted');
    expect(screen.getByText(/recorded in the ticket/)).toBeTruthy();
  });

  it('needs the box ticked when only unencrypted is offered', async () => {
    const seen: Array<Protection | null> = [];
    render(<Harness offer={PLAIN} seen={seen} />);
    expect(screen.getByText(PLAIN.sentence)).toBeTruthy();
    expect(seen.at(-1)).toBeNull();
    await userEvent.click(screen.getByRole('checkbox', { name: 'Ship this unit unencrypted' }));
    expect(seen.at(-1)).toBe('unencrypted');
    await userEvent.click(screen.getByRole('checkbox', { name: 'Ship this unit unencrypted' }));
    expect(seen.at(-1)).toBeNull();
  });
});
