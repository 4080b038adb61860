// The fee table: the replacement fee per unit kind (R7, configuration: a kept unit, or one still
// out past day 56, is charged it; the amount is frozen on the ticket when it falls due) and the
// sync fee rule (R6), which is the service's rule and so shown, not edited.
import { useState } from 'react';
import { SYNC_FEE_BASE_USD, SYNC_FEE_BLOCK_USD } from '../../../electron/chain/fees.ts';
import { UNIT_KINDS, type UnitKind } from '../../../electron/tickets/model/ticket-schema.ts';
import { usd } from '../../app/format.ts';
import { Field } from '../../components/Field.tsx';
import { errorsUnder, numberOrText, settingsView, type SettingsView } from './settings-form.ts';
import { SettingsSection } from './SettingsSection.tsx';
import { useSettingsSave } from './use-settings-save.ts';

const KIND_LABEL: Record<UnitKind, string> = { 'usb-drive': 'USB drive', 'nas-unit': 'NAS unit' };

export function FeesSection({ settings, onSaved }: { settings: SettingsView; onSaved(s: SettingsView): void }) {
  const [fees, setFees] = useState<Record<UnitKind, string>>(
    Object.fromEntries(UNIT_KINDS.map((k) => [k, String(settings.replacementFeesUsd[k])])) as Record<UnitKind, string>,
  );
  const s = useSettingsSave((a) => onSaved(settingsView(a)));
  const { byField } = errorsUnder(s.error, 'replacementFeesUsd');
  return (
    <SettingsSection
      id="fees"
      title="Fees"
      intro="Replacement fees are charged when a partner keeps a unit or it is still out after day 56 (R7); a ticket keeps the amount that applied when the fee fell due."
      saveLabel="Save the fees"
      busy={s.busy}
      saved={s.saved}
      error={s.error}
      onSubmit={() => void s.save({ replacementFeesUsd: Object.fromEntries(UNIT_KINDS.map((k) => [k, numberOrText(fees[k])])) })}
    >
      <div className="grid-2">
        {UNIT_KINDS.map((k) => (
          <Field key={k} name={`fee.${k}`} label={`Replacement fee, ${KIND_LABEL[k]} (US dollars)`} hint={`Now ${usd(settings.replacementFeesUsd[k])}.`} errors={byField.get(k)}>
            <input type="text" inputMode="decimal" value={fees[k]} onChange={(e) => (s.touch(), setFees({ ...fees, [k]: e.target.value }))} />
          </Field>
        ))}
      </div>
      <div>
        <h3>Sync fee (R6, the service's rule)</h3>
        <p>
          {usd(SYNC_FEE_BASE_USD)} for the first 2 TB of data synced, then {usd(SYNC_FEE_BLOCK_USD)} for each further started 1 TB block (2.1–3.0 TB: {usd(SYNC_FEE_BASE_USD + SYNC_FEE_BLOCK_USD)}, 3.1–4.0 TB: {usd(SYNC_FEE_BASE_USD + 2 * SYNC_FEE_BLOCK_USD)}). It is charged on the data synced, not the drive's size. All fees are waived for a disaster-recovery ticket.
        </p>
      </div>
    </SettingsSection>
  );
}
