// Saving one section of the settings: the patch goes to tickets.settings with the technician's
// name, the answer (the settings as stored, the SMTP password redacted) replaces the screen's
// copy, and the engine's refusal is kept for the form to show next to its fields.
import { useState } from 'react';
import type { MethodParams, MethodResult } from '../../../electron/api/contract.ts';
import type { EngineError } from '../../api/client.ts';
import { engine } from '../../app/engine.ts';
import { actor } from '../../app/session.ts';
import { asEngineError } from '../../app/use-engine.ts';

export type SettingsPatch = NonNullable<MethodParams<'tickets.settings'>['patch']>;
export type SettingsAnswer = MethodResult<'tickets.settings'>;

export function useSettingsSave(onSaved: (s: SettingsAnswer) => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<EngineError | null>(null);
  const [saved, setSaved] = useState(false);
  async function save(patch: SettingsPatch): Promise<boolean> {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      onSaved(await engine.call('tickets.settings', { patch, actor: actor() }));
      setSaved(true);
      return true;
    } catch (e) {
      setError(asEngineError(e));
      return false;
    } finally {
      setBusy(false);
    }
  }
  return { save, busy, error, saved, setError, touch: () => setSaved(false) };
}
