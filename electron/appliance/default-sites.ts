// The sites this bench knows without being told: where an appliance's data and its offsite copy
// live, registered by whoever made them. The lab registers its two pools when it is built and
// removes them when it goes down; a ticket that names neither --source nor --offsite is looked up
// here by its appliance's serial. Stored in `sites.json` under the app's home.
import { appPath } from '../system/paths.ts';
import { readJsonFile, writeJsonFile } from '../system/json-file.ts';

export interface RegisteredSite {
  applianceSerial: string;
  /** The appliance's dataset root on this bench. */
  appliance: string;
  /** The offsite copy's dataset root on this bench. */
  offsite: string;
  /** Who registered it (the lab: its directory); registering again under it replaces the entry. */
  owner: string;
}

function sitesFile(): string {
  return appPath('sites.json');
}

export function readRegisteredSites(): RegisteredSite[] {
  return readJsonFile<RegisteredSite[]>(sitesFile(), []);
}

/** `first`: looked up before the others (the bench's default lab); otherwise in the order registered. */
export function registerSite(site: RegisteredSite, opts: { first?: boolean } = {}): void {
  const all = readRegisteredSites();
  const at = all.findIndex((s) => s.owner === site.owner);
  const others = all.filter((s) => s.owner !== site.owner);
  if (opts.first) writeJsonFile(sitesFile(), [site, ...others]);
  else if (at >= 0) writeJsonFile(sitesFile(), all.map((s, i) => (i === at ? site : s)));
  else writeJsonFile(sitesFile(), [...all, site]);
}

export function unregisterSites(owner: string): void {
  const all = readRegisteredSites();
  if (all.some((s) => s.owner === owner)) writeJsonFile(sitesFile(), all.filter((s) => s.owner !== owner));
}

/** The first registered site of that appliance (of any, without a serial), or null. */
export function registeredSiteFor(applianceSerial?: string): RegisteredSite | null {
  return readRegisteredSites().find((s) => !applianceSerial || s.applianceSerial === applianceSerial) ?? null;
}
