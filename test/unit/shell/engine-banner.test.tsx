// @vitest-environment happy-dom
// The window's message when the app's engine is not running: the main process's sentence, the
// read-only note, and "Try again" asking the bridge to start the privileged engine again; nothing
// at all without the bridge (roundtrip serve) or while the engine runs.
import { act, cleanup, render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { BridgeLike, EngineStateView } from '../../../renderer/api/bridge-transport.ts';
import { EngineBanner } from '../../../renderer/app/EngineBanner.tsx';

afterEach(() => {
  cleanup();
  delete window.roundtrip;
});

function install(initial: EngineStateView, afterRetry: EngineStateView) {
  const listeners = new Set<(s: EngineStateView) => void>();
  let retries = 0;
  window.roundtrip = {
    methods: {},
    events: {},
    engine: {
      state: async () => initial,
      onState: (fn) => (listeners.add(fn), () => void listeners.delete(fn)),
      retry: async () => (retries++, afterRetry),
    },
  } as BridgeLike;
  return { push: (s: EngineStateView) => listeners.forEach((l) => l(s)), retries: () => retries };
}

describe('the engine banner', () => {
  it('says why the engine is not running, that the bench is read-only, and tries again', async () => {
    const b = install({ state: 'refused', message: 'Administrator rights were refused.', readOnly: true }, { state: 'running', message: null, readOnly: false });
    render(<EngineBanner />);
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', expect.stringContaining('Administrator rights were refused.'));
    expect(screen.getByRole('alert').textContent).toMatch(/read-only: tickets and plans can be read/);
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(b.retries()).toBe(1);
    await act(async () => {});
    expect(screen.queryByRole('alert')).toBeNull();
    act(() => b.push({ state: 'died', message: 'The engine stopped (signal SIGKILL).', readOnly: true }));
    expect(screen.getByRole('alert').textContent).toMatch(/The engine stopped \(signal SIGKILL\)/);
  });

  it('shows nothing without the bridge', () => {
    const { container } = render(<EngineBanner />);
    expect(container.textContent).toBe('');
  });
});
