// What every host does once before it serves the contract: say which host it is (engine.info),
// wire the drives' destructive actions into the tickets' audit trail, and put in place what this
// machine's ZFS needs around its commands (zfs-fuse's locks; nothing with OpenZFS). The ZFS layer
// installs the latter on its own first use too; doing it here means no path is left out.
import { useZfsCommandDecorator } from '../system/zfs/flavor.ts';
import { setHostName, type HostName } from './host.ts';
import { wireAudit } from './wire-audit.ts';

export function startEngine(host: HostName): void {
  setHostName(host);
  wireAudit();
  void useZfsCommandDecorator();
}
