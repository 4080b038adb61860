// Resumes the appliance's local backups for a set of held markers: each distinct resume command
// once, every marker ended after, and the outcome in a technician's words. Called with the bench's
// local-backups lock held, once no running sync still needs them paused.
import { logLine } from '../../system/log.ts';
import { endMarker, type LocalBackupsMarker } from './markers.ts';
import { runLocalBackupsCommand } from './run-command.ts';

export async function resumeAll(markers: LocalBackupsMarker[], why: string): Promise<{ ok: boolean; sentence: string }> {
  const commands = [...new Map(markers.map((m) => [JSON.stringify(m.resume), m.resume])).values()];
  const failures: string[] = [];
  const ran: string[] = [];
  for (const argv of commands) {
    const r = await runLocalBackupsCommand('resume', argv);
    ran.push(r.command);
    if (!r.ok) failures.push(`${r.command}: ${r.why}`);
  }
  const sentence = failures.length
    ? `WARNING: the resume command failed (${failures.join('; ')}). The appliance's local backups may still be paused: resume them on the appliance, or run the resume command by hand.`
    : `The appliance's local backups are resumed (${ran.join('; ')}).`;
  if (failures.length) logLine('error', { op: 'resume local backups', why, failed: failures });
  for (const m of markers) endMarker(m, `${failures.length ? 'resume failed' : 'resumed'} when ${why}`);
  return { ok: failures.length === 0, sentence };
}
