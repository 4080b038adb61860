// @vitest-environment happy-dom
// The unit passphrase asked again for a sealed unit's resume: masked, sent once, then emptied.
import { cleanup, render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, expect, it } from 'vitest';
import { ResumePassphrase } from '../../../renderer/screens/ticket/run/ResumePassphrase.tsx';

afterEach(cleanup);

it('sends the typed unit passphrase with the resume and empties the field', async () => {
  const sent: string[] = [];
  render(<ResumePassphrase busy={false} onResume={(p) => sent.push(p)} />);
  const field = screen.getByLabelText('Unit passphrase') as HTMLInputElement;
  const button = screen.getByRole('button', { name: 'Resume with this passphrase' }) as HTMLButtonElement;
  expect(field.type).toBe('password');
  expect(button.disabled).toBe(true);
  await userEvent.type(field, '7K2M-QX9D-0RTB-5VHN-W3EA-8PZC');
  await userEvent.click(button);
  expect(sent).toEqual(['7K2M-QX9D-0RTB-5VHN-W3EA-8PZC']);
  expect(field.value).toBe('');
});
