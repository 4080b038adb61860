// Where a ticket's data lives on this bench: the appliance's dataset root and the offsite root.
// Given explicitly (--source/--offsite), or the site registered for the ticket's appliance (the lab
// registers its pools when it is built: default-sites.ts).
// The offsite root may live on another ZFS host, read over ssh (--offsite-host …): then it only
// tells which points are already offsite; what is sent always comes from a pool on this bench.
import { AppError } from '../api/errors.ts';
import type { OffsiteAudit } from '../chain/audit.ts';
import { nasDatasetExists, type NasHost } from '../drives/nas.ts';
import { readsFromAppliance } from '../tickets/model/plan-ticket.ts';
import type { TicketInput } from '../tickets/model/ticket-schema.ts';
import { assertDatasetName, datasetExists } from '../system/zfs/index.ts';
import { registeredSiteFor } from './default-sites.ts';

export interface Sites {
  appliance: string;
  /** The offsite dataset root; null when the offsite side is known only from an audit list. */
  offsite: string | null;
  /** Set when `offsite` is a dataset on another ZFS host, reached over ssh. */
  offsiteHost?: NasHost;
  /** The offsite side from an imported audit list (CSV or JSON): points matched by name. */
  offsiteAudit?: OffsiteAudit;
}

export async function resolveSites(opts: {
  appliance?: string;
  offsite?: string;
  offsiteHost?: NasHost;
  offsiteAudit?: OffsiteAudit;
  applianceSerial?: string;
}): Promise<Sites> {
  let appliance = opts.appliance;
  let offsite = opts.offsite;
  if (opts.offsiteAudit && (opts.offsite || opts.offsiteHost)) {
    throw new AppError('BAD_INPUT', 'Give the offsite side either as a pool (--offsite, --offsite-host) or as an audit list (--offsite-audit), not both.');
  }
  if (opts.offsiteHost && !offsite) {
    throw new AppError('BAD_INPUT', `Name the offsite data root on ${opts.offsiteHost.host} with --offsite POOL/PATH.`);
  }
  if (opts.offsiteAudit) {
    // Only the appliance is needed from this bench: the list says what is offsite.
    appliance ??= registeredSiteFor(opts.applianceSerial)?.appliance;
    if (!appliance) throw new AppError('BAD_INPUT', 'This bench does not know where the appliance data of this ticket is.', { hint: 'Name it with --source POOL/PATH.' });
    return { appliance: await onThisBench('appliance', appliance), offsite: null, offsiteAudit: opts.offsiteAudit };
  }
  if (!appliance || !offsite) {
    const site = registeredSiteFor(opts.applianceSerial);
    appliance ??= site?.appliance;
    offsite ??= site?.offsite;
  }
  if (!appliance || !offsite) {
    throw new AppError('BAD_INPUT', 'This bench does not know where the appliance and offsite data of this ticket are.', {
      hint: 'Name them with --source POOL/PATH and --offsite POOL/PATH.',
    });
  }
  await onThisBench('appliance', appliance);
  assertDatasetName(offsite);
  if (opts.offsiteHost) {
    if (!(await nasDatasetExists(opts.offsiteHost, offsite))) {
      throw new AppError('ZFS_NO_DATASET', `The offsite data (${offsite}) is not on ${opts.offsiteHost.host}.`, { hint: 'Check the offsite root\'s name: "zfs list" on that host shows it.' });
    }
    return { appliance, offsite, offsiteHost: opts.offsiteHost };
  }
  return { appliance, offsite: await onThisBench('offsite', offsite) };
}

/** A dataset root that must be on this bench: a valid name, and there. */
async function onThisBench(what: 'appliance' | 'offsite', root: string): Promise<string> {
  assertDatasetName(root);
  if (!(await datasetExists(root))) throw new AppError('ZFS_NO_DATASET', `The ${what} data (${root}) is not on this bench: is its pool imported?`);
  return root;
}

/** The dataset root a ticket reads its points from, on this bench: the appliance, or the offsite copy. */
export function sendingRoot(sites: Sites, request: Pick<TicketInput, 'direction' | 'source'>): string {
  if (readsFromAppliance(request)) return sites.appliance;
  if (sites.offsiteHost || sites.offsite === null) {
    const where = sites.offsiteHost ? `on ${sites.offsiteHost.host}, not on this bench` : 'known here only from an audit list';
    throw new AppError('BAD_INPUT', `A reverse RoundTrip sends from the offsite copy, which is ${where}.`, {
      hint: 'Run it on the bench whose pool holds the offsite copy (--offsite POOL/PATH).',
    });
  }
  return sites.offsite;
}
