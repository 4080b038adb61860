// What every host does once before it serves the contract: say which host it is (engine.info),
// wire the drives' destructive actions into the tickets' audit trail, and put in place what this
// machine's ZFS needs around its commands (zfs-fuse's locks; nothing with OpenZFS). The ZFS layer
// installs the latter on its own first use too; doing it here means no path is left out.
// The long-lived hosts also resume the appliance's local backups that a killed engine's sync left
// paused (R9); a CLI verb does not, since it may exit while the resume runs (its own sync's end
// resumes them, orphans included).
import { logLine } from '../system/log.ts';
import { useZfsCommandDecorator } from '../system/zfs/flavor.ts';
import { setHostName, type HostName } from './host.ts';
import { noteRecovery } from './local-backups/recovering.ts';
import { wireAudit } from './wire-audit.ts';

export function startEngine(host: HostName, opts: { readOnly?: boolean } = {}): void {
  setHostName(host);
  wireAudit();
  void useZfsCommandDecorator();
  // A read-only engine (the app's fallback, a user's own process) changes nothing on the machine.
  if (host === 'cli' || opts.readOnly) return;
  noteRecovery(
    import('./local-backups/recover.ts')
      .then((m) => m.resumeOrphanedLocalBackups())
      .catch((e: unknown) => logLine('error', { op: 'resume local backups left paused', failed: String(e) })),
  );
}
