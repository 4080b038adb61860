// R9's sentences about the appliance's own local backups during a sync, the same in the plan, the
// job's log and the settings screen. Pure.
import type { LocalBackupsSettings } from './settings-schema.ts';

/** A command as a technician reads it: its parts, quoted where one holds a space or a quote. */
export function commandText(argv: readonly string[]): string {
  return argv.map((a) => (a === '' || /[\s"'\\]/.test(a) ? JSON.stringify(a) : a)).join(' ');
}

/** What a sync will do with the appliance's local backups: the bench's commands and the technician's choice. */
export function localBackupsPlanSentence(commands: LocalBackupsSettings | null, pause: boolean): string {
  if (!commands) return 'No pause command is configured on this bench: the appliance keeps taking local backups during the sync.';
  if (!pause) return 'Local backups keep running during the sync: the technician chose not to pause them.';
  return `Local backups will pause during the sync and resume after it (pause: ${commandText(commands.pause)}; resume: ${commandText(commands.resume)}).`;
}
