// Every CLI verb reaches its capability through the engine's contract: each verb file calls at
// least one contract method (call('…') or a job kind through runJob), every name it uses exists in
// the contract, and no verb imports a capability module's code directly (types are fine).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { methods } from '../../../electron/api/contract.ts';
import { JOB_KINDS } from '../../../electron/api/schemas/jobs.ts';
import { VERBS } from '../../../electron/hosts/verbs/index.ts';

const dir = join(import.meta.dirname, '..', '..', '..', 'electron', 'hosts', 'verbs');
/** Hosts themselves, not capabilities: they serve the contract rather than call it. */
const HOSTS = new Set(['serve', 'engine']);
/** The lab is a client beside the hosts: it builds its site itself and asks the engine what it sees. */
const LAB_CLIENT = { verb: 'lab', may: ['../../lab/build.ts', '../../lab/down.ts', '../../lab/passphrase.ts'] };
/** Pure presentation modules of a capability (labels, descriptions): the renderer uses them too. */
const PURE_TEXT = ['../../drives/describe.ts', '../../merge/kept-types.ts'];
const CAPABILITIES = /^\.\.\/\.\.\/(jobs|merge|drives|tickets\/(?!model\/)|system|appliance|lab|engine)\b/;

function source(verb: string): string {
  return readFileSync(join(dir, `${verb}.ts`), 'utf8');
}

describe('CLI verbs and contract methods', () => {
  const verbs = Object.keys(VERBS).filter((v) => !HOSTS.has(v));

  it.each(verbs)('"%s" calls the engine through contract methods that exist', (verb) => {
    const src = source(verb);
    const called = [...src.matchAll(/\bcall\(\s*['"]([a-zA-Z.]+)['"]/g)].map((m) => m[1]);
    const kinds = [...src.matchAll(/kind:\s*['"]([a-z-]+)['"]/g)].map((m) => m[1]);
    expect(called.length + kinds.length, `${verb} calls no contract method`).toBeGreaterThan(0);
    for (const m of called) expect(Object.keys(methods), `${verb} calls ${m}`).toContain(m);
    for (const k of kinds) expect(JOB_KINDS as readonly string[], `${verb} starts a ${k} job`).toContain(k);
  });

  it.each(verbs)('"%s" imports no capability code around the contract', (verb) => {
    const src = source(verb);
    const valueImports = [...src.matchAll(/^import\s+(?!type\b)[^'"]*from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]);
    const allowed = [...PURE_TEXT, ...(verb === LAB_CLIENT.verb ? LAB_CLIENT.may : [])];
    expect(valueImports.filter((s) => CAPABILITIES.test(s) && !allowed.includes(s))).toEqual([]);
  });

  it('every job kind and every method is reachable from some verb or is for the UI alone', () => {
    const all = verbs.map(source).join('\n');
    const uiOnly = new Set(['engine.ping', 'engine.info', 'jobs.list', 'jobs.get', 'jobs.cancel', 'jobs.resume', 'jobs.start', 'sites.list', 'units.checkPassphrase', 'units.passphrasePassedOn']);
    const unused = Object.keys(methods).filter((m) => !uiOnly.has(m) && !all.includes(`'${m}'`));
    expect(unused).toEqual([]);
    for (const k of JOB_KINDS) expect(all, `no verb starts a ${k} job`).toContain(`kind: '${k}'`);
  });
});
