// R15: the regional data centers, read from resources/data-centers.json (bundled with the code, so
// the renderer, the CLI and a packaged app all see the same list without touching the disk).
import data from '../../../resources/data-centers.json' with { type: 'json' };
import type { Region } from './ticket-schema.ts';

export interface DataCenter {
  region: Region;
  regionName: string;
  attention: string;
  organization: string;
  street: string[];
  city: string;
  state?: string;
  postalCode: string;
  country: string;
  /** True while the address in the resource file is a stand-in, so printouts can say so. */
  placeholder?: boolean;
}

export const DATA_CENTERS: readonly DataCenter[] = data.dataCenters as DataCenter[];

export function dataCenterFor(region: Region, list: readonly DataCenter[] = DATA_CENTERS): DataCenter {
  const dc = list.find((d) => d.region === region);
  // The schema only admits known regions, so a miss means the resource file lost an entry.
  if (!dc) throw new Error(`resources/data-centers.json has no data center for region "${region}"`);
  return dc;
}

/** The address as printed on a label, one line each. */
export function addressLines(dc: DataCenter): string[] {
  return [dc.attention, dc.organization, ...dc.street, `${dc.city}${dc.state ? `, ${dc.state}` : ''} ${dc.postalCode}`, dc.country];
}
