// Where the Unseal form puts each of the engine's refusals: the passphrase's at its field, the
// folder's (the contract's absolute-path check; the job's missing folder and a foreign file in the
// way, which the engine marks as the folder's) at the folder field, and the unit's own (a ZFS unit, a damaged sealed file) with the job; which
// of them came before anything was written.
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../renderer/api/client.ts';
import { refusalWords, refusedBeforeWriting, unsealFieldOf } from '../../../renderer/screens/unseal/unseal-errors.ts';

const err = (code: string, message: string, data?: Record<string, unknown>) => new EngineError({ code, message, data });
const FOLDER = '/srv/unsealed';

describe('unseal refusals', () => {
  it('puts a refused or missing unit passphrase at the passphrase field', () => {
    expect(unsealFieldOf(err('UNIT_PASSPHRASE_WRONG', 'That passphrase does not unlock this unit.'))).toBe('passphrase');
    expect(unsealFieldOf(err('UNIT_PASSPHRASE_NEEDED', '/dev/sdb is a sealed unit: enter its unit passphrase.'))).toBe('passphrase');
  });

  it('puts the folder refusals at the folder field, in words', () => {
    const relative = err('BAD_INPUT', 'The request for jobs.start is not valid: params.to: an absolute path.', { fields: [{ field: 'params.to', message: 'an absolute path' }] });
    expect(unsealFieldOf(relative)).toBe('folder');
    expect(refusalWords(relative)).toBe('The folder must be given as an absolute path, starting with /. (code BAD_INPUT)');
    const missing = err('BAD_INPUT', `The folder ${FOLDER} does not exist: create it first.\nmore`, { field: 'to' });
    expect(unsealFieldOf(missing)).toBe('folder');
    expect(refusalWords(missing)).toBe(`The folder ${FOLDER} does not exist: create it first. (code BAD_INPUT)`);
    expect(unsealFieldOf(err('UNSEAL_TARGET_EXISTS', `${FOLDER}/WIN-FS01/1/C.vhdx already exists and is not this unit's image.`, { field: 'to' }))).toBe('folder');
    // Without the engine's mark, a sentence that merely names the folder is the unit's.
    expect(unsealFieldOf(err('BAD_INPUT', `Something about ${FOLDER}.`))).toBe('unit');
  });

  it('tells a refusal before anything was written from a foreign file that stopped a run midway', () => {
    expect(refusedBeforeWriting(err('UNIT_PASSPHRASE_WRONG', 'That passphrase does not unlock this unit.'))).toBe(true);
    expect(refusedBeforeWriting(err('BAD_INPUT', `The folder ${FOLDER} does not exist.`, { field: 'to' }))).toBe(true);
    expect(refusedBeforeWriting(err('UNSEAL_TARGET_EXISTS', `${FOLDER}/A/1/C.vhdx already exists.`, { field: 'to' }))).toBe(false);
    expect(refusedBeforeWriting(err('SEALED_CHUNK_TAMPERED', 'A record was changed.'))).toBe(false);
  });

  it("leaves the unit's own refusals to the job", () => {
    expect(unsealFieldOf(err('BAD_INPUT', '/dev/sdb is a sealed unit of ZFS points, not of disk images.'))).toBe('unit');
    expect(unsealFieldOf(err('SEALED_CHUNK_TAMPERED', 'A record of the sealed file was changed.'))).toBe('unit');
    expect(unsealFieldOf(err('BAD_INPUT', 'The request is not valid: params.device: a device.', { fields: [{ field: 'params.device', message: 'a device' }] }))).toBe('unit');
  });
});
