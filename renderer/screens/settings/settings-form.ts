// What the settings forms share: turning typed text into what the engine checks (a number when it
// looks like one, so the engine can say "must be a number" otherwise; a list from one line per
// entry) and the engine's per-field errors (data.fields, "smtp.port", "bench.technicians.2")
// grouped by the form field that shows them.
import type { EngineError } from '../../api/client.ts';
import { fieldIssues, type FieldIssue } from '../../components/FieldErrors.tsx';
import type { BenchIdentity } from '../../../electron/tickets/model/bench-settings-schema.ts';
import type { DataCenter } from '../../../electron/tickets/model/data-centers.ts';
import type { LocalBackupsSettings, SmtpSettings } from '../../../electron/tickets/model/settings-schema.ts';
import type { ReplacementFees } from '../../../electron/tickets/model/ticket-fees.ts';

/** "25" → 25; anything else is sent as typed, for the engine to refuse with its sentence. */
export function numberOrText(text: string): number | string {
  const t = text.trim();
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : t;
}

/** One entry per non-empty line, trimmed. */
export function linesOf(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/**
 * The engine's problems under `prefix` (e.g. "smtp"), keyed by the form field they belong to: the
 * path's first part after the prefix. A list entry's problem ("technicians.1") says which line.
 */
export function errorsUnder(error: EngineError | null, prefix: string): { byField: Map<string, string[]>; issues: FieldIssue[] } {
  const byField = new Map<string, string[]>();
  const issues = fieldIssues(error).filter((i) => i.field === prefix || i.field.startsWith(`${prefix}.`));
  for (const i of issues) {
    const rest = i.field === prefix ? [] : i.field.slice(prefix.length + 1).split('.');
    const key = rest[0] ?? '';
    const line = rest[1] !== undefined && /^\d+$/.test(rest[1]) ? `Line ${Number(rest[1]) + 1}: ` : '';
    byField.set(key, [...(byField.get(key) ?? []), line + i.message]);
  }
  return { byField, issues };
}

/** Never the password: whether one is set and where the engine keeps it, in words (passNote). */
export interface SmtpPassView {
  passSet: boolean;
  passStore: 'memory' | 'keyring';
  passNote: string;
}

/** tickets.settings' answer as the screen reads it (the contract keeps it loose). */
export interface SettingsView {
  smtp: (SmtpSettings & SmtpPassView) | null;
  replacementFeesUsd: ReplacementFees;
  localBackups: LocalBackupsSettings | null;
  bench: BenchIdentity;
  dataCenters: DataCenter[];
}

export function settingsView(answer: unknown): SettingsView {
  const a = answer as Partial<SettingsView>;
  return {
    smtp: a.smtp ?? null,
    replacementFeesUsd: a.replacementFeesUsd as ReplacementFees,
    localBackups: a.localBackups ?? null,
    bench: a.bench ?? { name: '', technicians: [] },
    dataCenters: a.dataCenters ?? [],
  };
}
