// The bench's settings: its name and technicians, the data centers' return addresses, the fee
// table, the SMTP relay (with a test mail) and the local-backups commands. Each section saves on
// its own through tickets.settings and shows the engine's per-field sentences next to its fields.
import { useState } from 'react';
import { useCall } from '../../app/use-engine.ts';
import { ErrorNotice } from '../../components/Notice.tsx';
import { BenchSection } from './BenchSection.tsx';
import { DataCentersSection } from './DataCentersSection.tsx';
import { FeesSection } from './FeesSection.tsx';
import { LocalBackupsSection } from './LocalBackupsSection.tsx';
import { settingsView, type SettingsView } from './settings-form.ts';
import { SmtpSection } from './SmtpSection.tsx';

/** The page is long: links to each section's heading (ids from SettingsSection and DataCentersSection). */
const CONTENTS: Array<[string, string]> = [
  ['bench-title', 'The bench'],
  ['dcs-title', 'Data centers'],
  ['fees-title', 'Fees'],
  ['smtp-title', 'SMTP relay'],
  ['local-backups-title', 'Local backups'],
];

function Contents() {
  return (
    <nav aria-label="Settings sections" className="row">
      {CONTENTS.map(([id, name]) => (
        <a
          key={id}
          href={`#${id}`}
          onClick={(e) => {
            // The address's hash is the route: move the focus and the view without changing it.
            e.preventDefault();
            const el = document.getElementById(id);
            el?.scrollIntoView();
            el?.setAttribute('tabindex', '-1');
            el?.focus();
          }}
        >
          {name}
        </a>
      ))}
    </nav>
  );
}

export function SettingsScreen() {
  const loaded = useCall('tickets.settings', {});
  const [latest, setLatest] = useState<SettingsView | null>(null);
  const settings = latest ?? (loaded.data ? settingsView(loaded.data) : null);
  return (
    <>
      <div className="page-head">
        <h1>Settings</h1>
      </div>
      <ErrorNotice error={loaded.error} title="The settings could not be read" />
      {!settings ? (
        loaded.error ? null : (
          <p aria-busy="true" className="muted">
            Asking the engine for the settings…
          </p>
        )
      ) : (
        <div className="stack">
          <Contents />
          <BenchSection settings={settings} onSaved={setLatest} />
          <DataCentersSection settings={settings} onSaved={setLatest} />
          <FeesSection settings={settings} onSaved={setLatest} />
          <SmtpSection settings={settings} onSaved={setLatest} />
          <LocalBackupsSection settings={settings} onSaved={setLatest} />
        </div>
      )}
    </>
  );
}
