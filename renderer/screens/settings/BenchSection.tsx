// The bench's name and the technicians who work at it (one name per line); the top bar offers
// the names once saved.
import { useState } from 'react';
import { Field } from '../../components/Field.tsx';
import { useBenchNames } from './bench-names.ts';
import { errorsUnder, linesOf, type SettingsView } from './settings-form.ts';
import { SettingsSection } from './SettingsSection.tsx';
import { settingsView } from './settings-form.ts';
import { useSettingsSave } from './use-settings-save.ts';

export function BenchSection({ settings, onSaved }: { settings: SettingsView; onSaved(s: SettingsView): void }) {
  const [name, setName] = useState(settings.bench.name);
  const [techs, setTechs] = useState(settings.bench.technicians.join('\n'));
  const setNames = useBenchNames((s) => s.set);
  const s = useSettingsSave((a) => {
    const v = settingsView(a);
    setNames(v.bench.name, v.bench.technicians);
    onSaved(v);
  });
  const { byField } = errorsUnder(s.error, 'bench');
  return (
    <SettingsSection
      id="bench"
      title="The bench"
      intro="Its name goes on test mails; the technicians' names are offered in the top bar's Technician field."
      saveLabel="Save the bench's names"
      busy={s.busy}
      saved={s.saved}
      error={s.error}
      onSubmit={() => void s.save({ bench: { name, technicians: linesOf(techs) } })}
    >
      <div className="grid-2">
        <Field name="bench.name" label="Bench name" errors={byField.get('name')}>
          <input type="text" value={name} maxLength={200} onChange={(e) => (s.touch(), setName(e.target.value))} />
        </Field>
        <Field name="bench.technicians" label="Technicians" hint="One name per line." errors={byField.get('technicians')}>
          <textarea rows={4} value={techs} onChange={(e) => (s.touch(), setTechs(e.target.value))} />
        </Field>
      </div>
    </SettingsSection>
  );
}
