// 10,000 malformed requests straight into the engine's dispatch (the code every host runs): wrong
// types, huge strings, prototype keys, traversal and shell characters in device and dataset names,
// negative and fractional numbers. Each gets a typed error, none crashes, and the command runner
// sees not one external command: a refused request runs no tool.
import { describe, expect, it, afterAll } from 'vitest';
import fc from 'fast-check';
import { malformedRequest } from '../../helpers/malformed-requests.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const home = mkdtempSync(join(tmpdir(), 'rt-fuzz-home-'));
process.env.ROUNDTRIP_HOME = home;
afterAll(() => rmSync(home, { recursive: true, force: true }));

const { dispatch } = await import('../../../electron/engine/dispatch.ts');
const { observeCommands } = await import('../../../electron/system/command-observer.ts');

describe('dispatch under 10,000 malformed requests (fast-check)', () => {
  it('answers every one with a typed error, crashes on none, and runs no external command', async () => {
    const commands: string[] = [];
    const stop = observeCommands((c) => commands.push(`${c.cmd} ${c.args.join(' ')}`));
    const codes = new Map<string, number>();
    try {
      await fc.assert(
        fc.asyncProperty(malformedRequest, fc.integer(), async (req, id) => {
          const res = await dispatch({ id, ...req } as never);
          if (res.ok) throw new Error(`accepted: ${JSON.stringify(req).slice(0, 300)}`);
          expect(res.id).toBe(id);
          expect(['BAD_INPUT', 'UNKNOWN_VERB']).toContain(res.error.code);
          expect(res.error.message).not.toMatch(/\n\s+at /);
          codes.set(res.error.code, (codes.get(res.error.code) ?? 0) + 1);
        }),
        { numRuns: 10_000 },
      );
    } finally {
      stop();
    }
    expect(commands).toEqual([]);
    expect(codes.get('BAD_INPUT')).toBeGreaterThan(1000);
    expect(codes.get('UNKNOWN_VERB')).toBeGreaterThan(100);
  }, 300_000);

  it('the command runner does see a request that is valid (the observer is not blind)', async () => {
    const commands: string[] = [];
    const stop = observeCommands((c) => commands.push(c.cmd));
    try {
      await dispatch({ id: 1, method: 'drives.list', params: {} });
    } finally {
      stop();
    }
    expect(commands.length).toBeGreaterThan(0);
  });
});
