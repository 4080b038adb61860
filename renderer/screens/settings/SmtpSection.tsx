// The SMTP relay the notifications go through. The password is typed into an uncontrolled field
// (React would otherwise copy it into the element's value attribute, i.e. the page's HTML), sent
// once with the save, and cleared; the engine never sends it back, so the page only says whether
// one is set and where the engine keeps it (memory until it stops, or the OS keyring). Leaving it
// empty keeps the held one; "Remove the stored password" sends `pass: null` through the contract.
import { useRef, useState } from 'react';
import { Badge } from '../../components/Badge.tsx';
import { Field } from '../../components/Field.tsx';
import { errorsUnder, numberOrText, settingsView, type SettingsView } from './settings-form.ts';
import { SettingsSection } from './SettingsSection.tsx';
import { TestMail } from './TestMail.tsx';
import { useSettingsSave } from './use-settings-save.ts';

export function SmtpSection({ settings, onSaved }: { settings: SettingsView; onSaved(s: SettingsView): void }) {
  const cur = settings.smtp;
  const [f, setF] = useState({ host: cur?.host ?? '', port: cur ? String(cur.port) : '587', secure: cur?.secure ?? false, user: cur?.user ?? '', from: cur?.from ?? '' });
  const password = useRef<HTMLInputElement>(null);
  const s = useSettingsSave((a) => onSaved(settingsView(a)));
  const { byField } = errorsUnder(s.error, 'smtp');
  const passwordSet = cur?.passSet === true;
  const set = (patch: Partial<typeof f>) => (s.touch(), setF({ ...f, ...patch }));
  const [removed, setRemoved] = useState<string | null>(null);

  /** The saved relay as it is, with the password removed (the form's unsaved edits are not sent). */
  async function removePassword() {
    if (!cur) return;
    setRemoved(null);
    const { passSet: _set, passStore: _store, passNote: _note, ...relay } = cur;
    if (await s.save({ smtp: { ...relay, pass: null } })) setRemoved('Password removed: no password set.');
  }

  async function save() {
    const pass = password.current?.value ?? '';
    setRemoved(null);
    const ok = await s.save({
      smtp: {
        host: f.host,
        port: numberOrText(f.port),
        secure: f.secure,
        ...(f.user.trim() ? { user: f.user.trim() } : {}),
        ...(pass ? { pass } : {}),
        from: f.from,
        ...(cur?.timeoutMs !== undefined ? { timeoutMs: cur.timeoutMs } : {}),
      },
    });
    // Stored or refused, the typed password leaves the page either way: it is asked for again.
    if (password.current) password.current.value = '';
    void ok;
  }

  return (
    <SettingsSection
      id="smtp"
      title="SMTP relay for notifications"
      intro="Return-clock reminders and sync results are e-mailed through this relay; until it works they wait in the outbox."
      saveLabel="Save the SMTP relay"
      busy={s.busy}
      saved={s.saved}
      error={s.error}
      onSubmit={() => void save()}
      after={<TestMail saved={cur !== null} />}
    >
      <div className="grid-2">
        <Field name="smtp.host" label="Host" errors={byField.get('host')}>
          <input type="text" value={f.host} autoComplete="off" onChange={(e) => set({ host: e.target.value })} />
        </Field>
        <Field name="smtp.port" label="Port" hint="587 or 25 with STARTTLS, 465 with TLS." errors={byField.get('port')}>
          <input type="text" inputMode="numeric" value={f.port} onChange={(e) => set({ port: e.target.value })} />
        </Field>
        <div className="field">
          <label className="check">
            <input type="checkbox" checked={f.secure} onChange={(e) => set({ secure: e.target.checked })} />
            <span>TLS from the first byte (port 465); off: plain, upgraded with STARTTLS when the relay offers it</span>
          </label>
          {byField.get('secure')?.map((m) => (
            <span key={m} className="error">
              ✖ {m}
            </span>
          ))}
        </div>
        <Field name="smtp.user" label="User name" hint="Empty: the relay takes mail without a login." errors={byField.get('user')}>
          <input type="text" value={f.user} autoComplete="off" onChange={(e) => set({ user: e.target.value })} />
        </Field>
        <Field
          name="smtp.pass"
          label="Password"
          hint={
            <>
              <Badge tone={passwordSet ? 'ok' : 'plain'} icon={passwordSet ? '✔' : '◌'}>
                {passwordSet ? 'set' : 'not set'}
              </Badge>{' '}
              {passwordSet ? 'Leave empty to keep the stored password; type a new one to replace it.' : 'No password set. Type the password if the relay needs a login.'}{' '}
              {cur ? <span data-testid="smtp-pass-note">{cur.passNote}</span> : null}
            </>
          }
          errors={byField.get('pass')}
        >
          <input type="password" ref={password} autoComplete="new-password" onChange={() => (s.touch(), setRemoved(null))} />
        </Field>
        <div className="field">
          <div className="row">
            <button type="button" disabled={!passwordSet || s.busy} onClick={() => void removePassword()}>
              Remove the stored password
            </button>
          </div>
          <span role="status" className="muted">
            {removed ?? ''}
          </span>
        </div>
        <Field name="smtp.from" label="From address" hint="The sender the partner sees." errors={byField.get('from')}>
          <input type="email" value={f.from} autoComplete="off" onChange={(e) => set({ from: e.target.value })} />
        </Field>
      </div>
    </SettingsSection>
  );
}
