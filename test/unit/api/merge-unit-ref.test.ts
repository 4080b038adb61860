// Merge-back's unit in the contract: its drive or a NAS unit (host + dataset), exactly one, for
// the merge job, its preview and the passphrase check alike.
import { describe, expect, it } from 'vitest';
import { MergeParams } from '../../../electron/api/schemas/jobs.ts';
import { unitListMethods, unitMethods } from '../../../electron/api/schemas/units.ts';

const nas = { host: '10.0.0.5', port: 2222, identityFile: '/root/.ssh/bench', knownHostsFile: '/root/.ssh/nas_known_hosts' };

describe('the unit of a merge: device or nas + nasDataset', () => {
  const schemas = {
    'merge job': (u: object) => MergeParams.safeParse({ ...u, into: 'tank/offsite' }),
    'merge.preview': (u: object) => unitMethods['merge.preview'].params.safeParse({ ...u, into: 'tank/offsite' }),
    'units.checkPassphrase': (u: object) => unitListMethods['units.checkPassphrase'].params.safeParse({ ...u, system: 'ENC-SQL01', passphrase: 'x' }),
  };
  for (const [name, parse] of Object.entries(schemas)) {
    it(`${name}: accepts a drive or a NAS unit`, () => {
      expect(parse({ device: '/dev/sdb' }).success).toBe(true);
      expect(parse({ nas, nasDataset: 'nas1/rt_1000301' }).success).toBe(true);
    });
    it(`${name}: refuses both, neither, a NAS without its dataset, a dataset without a NAS, a bad dataset`, () => {
      expect(parse({ device: '/dev/sdb', nas, nasDataset: 'nas1/rt_1' }).success).toBe(false);
      expect(parse({}).success).toBe(false);
      expect(parse({ nas }).success).toBe(false);
      expect(parse({ device: '/dev/sdb', nasDataset: 'nas1/rt_1' }).success).toBe(false);
      expect(parse({ nas, nasDataset: 'nas1/../x' }).success).toBe(false);
      expect(parse({ nas: { ...nas, host: 'a;b' }, nasDataset: 'nas1/rt_1' }).success).toBe(false);
    });
  }
});
