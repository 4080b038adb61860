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
  return [...(dc.attention ? [dc.attention] : []), dc.organization, ...dc.street, `${dc.city}${dc.state ? `, ${dc.state}` : ''} ${dc.postalCode}`, dc.country];
}

/**
 * The list with a bench's own addresses in place of the resource file's (which are placeholders):
 * a configured address is real, so the printout no longer warns about it.
 */
export function withConfiguredAddresses(overrides: Partial<Record<Region, Omit<DataCenter, 'region' | 'regionName' | 'placeholder' | 'attention'> & { attention?: string }>>, list: readonly DataCenter[] = DATA_CENTERS): DataCenter[] {
  return list.map((dc) => {
    const o = overrides[dc.region];
    if (!o) return dc;
    const { placeholder: _file, ...base } = dc;
    return { ...base, ...o, attention: o.attention ?? '', region: dc.region, regionName: dc.regionName, ...(o.state ? { state: o.state } : { state: undefined }) };
  });
}
