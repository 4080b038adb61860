// In the desktop app, what the window says when its engine child is not running: elevation was
// refused or the engine died, in the main process's own sentence, with "Try again" (which asks
// for administrator rights again, or restarts the engine). Under `roundtrip serve` there is no
// bridge and this shows nothing: the connection badge says it all there.
import { useEffect, useState } from 'react';
import type { EngineStateView } from '../api/bridge-transport.ts';
import { Notice } from '../components/Notice.tsx';

export function EngineBanner() {
  const bridge = typeof window === 'undefined' ? undefined : window.roundtrip;
  const [s, setS] = useState<EngineStateView | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!bridge) return;
    void bridge.engine.state().then(setS, () => {});
    return bridge.engine.onState(setS);
  }, [bridge]);
  if (!bridge || !s || (s.state !== 'refused' && s.state !== 'died')) return null;
  const retry = () => {
    setBusy(true);
    void bridge.engine
      .retry()
      .then(setS, () => {})
      .finally(() => setBusy(false));
  };
  return (
    <Notice kind="error" title={s.state === 'refused' ? 'The engine is not running: administrator rights were refused' : 'The engine stopped'}>
      <p>{s.message}</p>
      {s.readOnly ? <p>Meanwhile the bench runs read-only: tickets and plans can be read, nothing can be changed.</p> : null}
      <button type="button" onClick={retry} disabled={busy}>
        {busy ? 'Trying…' : 'Try again'}
      </button>
    </Notice>
  );
}
