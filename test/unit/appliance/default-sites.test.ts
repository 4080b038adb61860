// The site registry (sites.json under a temp ROUNDTRIP_HOME): a ticket that names no --source or
// --offsite finds its appliance's pools here; the bench's default lab is looked up first.
import { describe, expect, it } from 'vitest';
import { readRegisteredSites, registeredSiteFor, registerSite, unregisterSites } from '../../../electron/appliance/default-sites.ts';
import { useTempHome } from '../../helpers/temp-home.ts';

const site = (owner: string, serial = 'LAB-1') => ({ applianceSerial: serial, appliance: `${owner}app`, offsite: `${owner}off`, owner });

describe('registered sites', () => {
  useTempHome('rt-sites-');

  it('finds nothing on a bench where nothing registered', () => {
    expect(readRegisteredSites()).toEqual([]);
    expect(registeredSiteFor('LAB-1')).toBeNull();
    unregisterSites('/nowhere'); // nothing to remove: no file is written
    expect(readRegisteredSites()).toEqual([]);
  });

  it('looks up by serial in the order registered, the first-registered one before the others', () => {
    registerSite(site('a'));
    registerSite(site('b', 'OTHER'));
    registerSite(site('c'));
    expect(registeredSiteFor('LAB-1')?.owner).toBe('a');
    expect(registeredSiteFor('OTHER')?.owner).toBe('b');
    expect(registeredSiteFor()?.owner).toBe('a');
    registerSite(site('d'), { first: true });
    expect(registeredSiteFor('LAB-1')?.owner).toBe('d');
  });

  it('replaces an owner\'s entry in place and removes it by owner', () => {
    registerSite({ ...site('a'), appliance: 'moved' });
    expect(readRegisteredSites().map((s) => s.owner)).toEqual(['d', 'a', 'b', 'c']);
    expect(readRegisteredSites()[1].appliance).toBe('moved');
    unregisterSites('d');
    unregisterSites('a');
    expect(registeredSiteFor('LAB-1')?.owner).toBe('c');
  });
});
