// Where a ticket's data is, from the contract's `sites` field: the engine resolves it the same way
// for every host (the CLI reads an audit list's file and sends its text).
import type { SitesInput } from '../api/schemas/common.ts';
import { resolveSites, type Sites } from '../appliance/sites.ts';
import { parseOffsiteAudit } from '../chain/audit.ts';

export function sitesOf(input: SitesInput | undefined, applianceSerial?: string): Promise<Sites> {
  const s = input ?? {};
  return resolveSites({
    appliance: s.source,
    offsite: s.offsite,
    offsiteHost: s.offsiteHost,
    offsiteAudit: s.offsiteAudit ? parseOffsiteAudit(s.offsiteAudit.text, s.offsiteAudit.format) : undefined,
    applianceSerial,
  });
}
