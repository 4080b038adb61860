// R9: the commands that pause the appliance's local backups while a sync reads its datasets and
// resume them after. Each is an argument list (program, then one argument per line), run by the
// engine's command runner, never through a shell. Both empty: none (a sync then says it cannot
// pause them). The contract checks these lists itself, so the form checks them first with the same
// schema to put each problem next to its command.
import { useState } from 'react';
import { LocalBackupsSettingsSchema } from '../../../electron/tickets/model/settings-schema.ts';
import { Field } from '../../components/Field.tsx';
import { errorsUnder, settingsView, type SettingsView } from './settings-form.ts';
import { SettingsSection } from './SettingsSection.tsx';
import { useSettingsSave } from './use-settings-save.ts';

/** One argument per line, kept as typed (an argument may hold spaces); blank lines are dropped. */
function argv(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.trim() !== '');
}

export function LocalBackupsSection({ settings, onSaved }: { settings: SettingsView; onSaved(s: SettingsView): void }) {
  const cur = settings.localBackups;
  const [pause, setPause] = useState(cur ? cur.pause.join('\n') : '');
  const [resume, setResume] = useState(cur ? cur.resume.join('\n') : '');
  const [local, setLocal] = useState<Map<string, string[]>>(new Map());
  const s = useSettingsSave((a) => onSaved(settingsView(a)));
  const engineErrors = errorsUnder(s.error, 'localBackups').byField;
  const errs = (k: string) => local.get(k) ?? engineErrors.get(k);

  function save() {
    const p = argv(pause);
    const r = argv(resume);
    if (!p.length && !r.length) {
      setLocal(new Map());
      void s.save({ localBackups: null });
      return;
    }
    const checked = LocalBackupsSettingsSchema.safeParse({ pause: p, resume: r });
    if (!checked.success) {
      const m = new Map<string, string[]>();
      for (const i of checked.error.issues) {
        const [k, n] = i.path.map(String);
        const line = n !== undefined && /^\d+$/.test(n) ? `Line ${Number(n) + 1}: ` : '';
        m.set(k ?? 'pause', [...(m.get(k ?? 'pause') ?? []), line + i.message]);
      }
      setLocal(m);
      return;
    }
    setLocal(new Map());
    void s.save({ localBackups: checked.data });
  }

  return (
    <SettingsSection
      id="local-backups"
      title="Local backups during a sync (R9)"
      intro="The appliance's local backups are paused while a sync reads its datasets and resumed after. Each command is its program on the first line, then one argument per line; no shell is involved. Leave both empty for none."
      saveLabel="Save the commands"
      busy={s.busy}
      saved={s.saved}
      error={s.error}
      onSubmit={save}
    >
      <div className="grid-2">
        <Field name="localBackups.pause" label="Pause command" hint="For example /usr/local/bin/appliance-backups, then pause." errors={errs('pause')}>
          <textarea rows={3} value={pause} spellCheck={false} onChange={(e) => (s.touch(), setPause(e.target.value))} />
        </Field>
        <Field name="localBackups.resume" label="Resume command" hint="For example /usr/local/bin/appliance-backups, then resume." errors={errs('resume')}>
          <textarea rows={3} value={resume} spellCheck={false} onChange={(e) => (s.touch(), setResume(e.target.value))} />
        </Field>
      </div>
    </SettingsSection>
  );
}
