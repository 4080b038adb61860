// Where a ticket's data lives on this bench: the appliance's dataset root and the offsite root.
// Given explicitly (--source/--offsite), or found from the lab when the ticket is for its appliance.
import { AppError } from '../api/errors.ts';
import { readState } from '../lab/state.ts';
import { defaultLabDir } from '../lab/build.ts';
import { readLabDrives } from '../lab/registry.ts';
import { assertDatasetName, datasetExists } from '../system/zfs/index.ts';

export interface Sites {
  appliance: string;
  offsite: string;
}

export async function resolveSites(opts: { appliance?: string; offsite?: string; applianceSerial?: string; labDir?: string }): Promise<Sites> {
  let appliance = opts.appliance;
  let offsite = opts.offsite;
  if (!appliance || !offsite) {
    // The lab named, the default one, or any lab whose drives this bench has registered.
    const dirs = [...new Set([opts.labDir ?? defaultLabDir(), ...readLabDrives().map((d) => d.labDir)])];
    for (const dir of dirs) {
      const lab = readState(dir);
      if (lab?.complete && (!opts.applianceSerial || opts.applianceSerial === lab.applianceSerial)) {
        appliance ??= lab.appliancePool;
        offsite ??= lab.offsitePool;
        break;
      }
    }
  }
  if (!appliance || !offsite) {
    throw new AppError('BAD_INPUT', 'This bench does not know where the appliance and offsite data of this ticket are.', {
      hint: 'Name them with --source POOL/PATH and --offsite POOL/PATH.',
    });
  }
  for (const [what, root] of [['appliance', appliance], ['offsite', offsite]] as const) {
    assertDatasetName(root);
    if (!(await datasetExists(root))) throw new AppError('ZFS_NO_DATASET', `The ${what} data (${root}) is not on this bench: is its pool imported?`);
  }
  return { appliance, offsite };
}
