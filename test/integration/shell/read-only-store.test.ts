// The app's read-only engine as it runs installed: the user's own process (here uid 65534, nobody)
// reading the privileged engine's store, which root owns (folder 0755, files 0644 as the .deb's
// after-install leaves them), after that engine exited, once its write-ahead log was checkpointed
// away (SQLite could not open it read-only then), and after it was killed. Tickets read; changes refused; nothing in the store changes.
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startStdioEngine } from '../../helpers/stdio-engine.ts';
import { forwardRequest } from '../../unit/tickets/fixtures.ts';

const NOBODY = 65534;
const home = mkdtempSync(join(tmpdir(), 'rt-ro-store-'));
chmodSync(home, 0o755);
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** Every file of the store with its size and modification time. */
function storeState(): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out[p] = [statSync(p).size, statSync(p).mtimeMs];
    }
  };
  walk(home);
  return out;
}

async function readAsUser(expected: string[]): Promise<void> {
  const before = storeState();
  const ro = startStdioEngine(home, { extra: ['--read-only', '--store', home], asUser: NOBODY });
  try {
    const listed = await ro.request('tickets.list', {});
    expect(listed.ok, JSON.stringify(listed.error)).toBe(true);
    expect((listed.result.tickets ?? listed.result).map((t: { id: string }) => t.id).sort()).toEqual(expected);
    const one = await ro.request('tickets.get', { ticketId: expected[0] });
    expect(one.ok, JSON.stringify(one.error)).toBe(true);
    const refused = await ro.request('tickets.create', { request: forwardRequest({ ticketNumber: '7654399' }), actor: 'jane' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'ENGINE_READ_ONLY' } });
  } finally {
    ro.child.stdin!.end();
    await ro.child;
  }
  expect(storeState()).toEqual(before);
}

describe("the installed app's read-only engine reading the privileged engine's store as another user", () => {
  it('reads the tickets of an engine that exited, of a store without its write-ahead log, and of an engine that was killed, changing nothing', async () => {
    const root = startStdioEngine(home);
    expect((await root.request('tickets.create', { request: forwardRequest({ ticketNumber: '7654321' }), actor: 'jane' })).ok).toBe(true);
    root.child.stdin!.end();
    await root.child;
    await readAsUser(['7654321']);
    // The last connection closed checkpoints the log and removes it: the store is its one file.
    const db = new Database(join(home, 'tickets.db'));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    expect(readdirSync(home).filter((f) => /^tickets\.db(-wal|-shm)?$/.test(f))).toEqual(['tickets.db']);
    await readAsUser(['7654321']);

    const killed = startStdioEngine(home);
    expect((await killed.request('tickets.create', { request: forwardRequest({ ticketNumber: '7654322' }), actor: 'jane' })).ok).toBe(true);
    killed.child.kill('SIGKILL');
    await killed.child;
    expect(readdirSync(home).some((f) => f.endsWith('-wal'))).toBe(true);
    await readAsUser(['7654321', '7654322']);
  }, 120_000);

  it('says there are no tickets yet when the store was never made', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'rt-ro-empty-'));
    chmodSync(empty, 0o755);
    try {
      const ro = startStdioEngine(empty, { extra: ['--read-only', '--store', empty], asUser: NOBODY });
      const listed = await ro.request('tickets.list', {});
      expect(listed).toMatchObject({ ok: false, error: { code: 'ENGINE_READ_ONLY', message: expect.stringMatching(/no tickets yet/) } });
      ro.child.stdin!.end();
      await ro.child;
      expect(readdirSync(empty)).toEqual([]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  }, 60_000);
});
