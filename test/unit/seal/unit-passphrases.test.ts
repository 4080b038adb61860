// The unit passphrase shown once (issue 21): the engine holds it for the run screen until the
// technician says it was passed on, then forgets it; who passed it on is in the ticket's audit,
// the passphrase is not. Through the contract's dispatch, as the UI calls it.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const home = mkdtempSync(join(tmpdir(), 'rt-unit-pass-'));
process.env.ROUNDTRIP_HOME = home;
const { dispatch } = await import('../../../electron/engine/dispatch.ts');
const { holdUnitPassphrase, heldUnitPassphrase } = await import('../../../electron/engine/unit-passphrases.ts');
const { listAudit } = await import('../../../electron/tickets/audit.ts');
const { generateUnitPassphrase } = await import('../../../electron/seal/index.ts');
const { filesUnder } = await import('../../integration/merge/helpers.ts');

afterAll(() => rmSync(home, { recursive: true, force: true }));

const call = async (method: string, params: unknown) => dispatch({ id: 1, method, params });

describe('units.sealedPassphrase and units.passphrasePassedOn', () => {
  it('shows the passphrase until it is passed on, then never again, and audits who passed it on', async () => {
    const pass = generateUnitPassphrase();
    holdUnitPassphrase('job-a', '4100001', pass);
    const shown = (await call('units.sealedPassphrase', { jobId: 'job-a' })) as { ok: true; result: { passphrase: string | null; passedOn: boolean; sentence: string } };
    expect(shown.ok).toBe(true);
    expect(shown.result).toMatchObject({ passphrase: pass, passedOn: false });
    expect(shown.result.sentence).toMatch(/Copy this passphrase into the support ticket now/);

    expect(await call('units.passphrasePassedOn', { jobId: 'job-a', actor: 'Pat' })).toMatchObject({ ok: true, result: { jobId: 'job-a', passedOn: true } });
    const after = (await call('units.sealedPassphrase', { jobId: 'job-a' })) as { result: { passphrase: string | null; passedOn: boolean; sentence: string } };
    expect(after.result).toMatchObject({ passphrase: null, passedOn: true });
    expect(after.result.sentence).toMatch(/only on the support ticket now/);
    expect(heldUnitPassphrase('job-a')).toBeNull();
    // A resume of the same job given it again does not show it again.
    holdUnitPassphrase('job-a', '4100001', pass);
    expect(((await call('units.sealedPassphrase', { jobId: 'job-a' })) as { result: { passphrase: string | null } }).result.passphrase).toBeNull();

    const audit = listAudit({ action: 'unit.passphrase-passed-on' });
    expect(audit.map((e) => [e.actor, e.ticketId])).toEqual([['Pat', '4100001']]);
    // Nothing the engine wrote holds the passphrase.
    for (const f of filesUnder(home)) expect(readFileSync(f).includes(pass), f).toBe(false);
  });

  it('says why there is none for a job it never held, and refuses to pass on what it does not hold', async () => {
    const none = (await call('units.sealedPassphrase', { jobId: 'job-unknown' })) as { result: { passphrase: string | null; sentence: string } };
    expect(none.result.passphrase).toBeNull();
    expect(none.result.sentence).toMatch(/engine restarted since it started \(the passphrase is never stored\)/);
    expect(await call('units.passphrasePassedOn', { jobId: 'job-unknown' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
