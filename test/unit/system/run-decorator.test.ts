// run()'s decorator hook: without one a command starts as given; with one, what it says is started
// and its reading of the exit decides; one still loading holds commands back until it is in.
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../electron/api/errors.ts';
import { observeCommands, type CommandNote } from '../../../electron/system/command-observer.ts';
import { commandDecorator, run, setCommandDecorator, type CommandDecorator } from '../../../electron/system/run.ts';

// The child prints its own argv and the files its descriptors hold: a locker would show in both
// (its lock files stay open in the command it exec()s).
const SELF = "const fs = require('node:fs'); console.log(JSON.stringify({ argv: process.argv.slice(1), fds: fs.readdirSync('/proc/self/fd').map((f) => { try { return fs.readlinkSync('/proc/self/fd/' + f); } catch { return ''; } }) }));";
const node = process.execPath;

afterEach(async () => {
  await setCommandDecorator(null);
});

describe('run() and its command decorator', () => {
  it('starts the command as given when no decorator is installed, also one that asks for the zfs lock', async () => {
    expect(commandDecorator()).toBeNull();
    const seen: CommandNote[] = [];
    const stop = observeCommands((c) => seen.push(c));
    try {
      const r = await run(node, ['-e', SELF, 'given'], { op: 'print itself', zfsLock: 'exclusive' });
      const self = JSON.parse(r.stdout) as { argv: string[]; fds: string[] };
      expect(self.argv).toEqual(['given']);
      expect(self.fds.filter((f) => /roundtrip-zfs/.test(f))).toEqual([]);
      expect(seen.map((c) => [c.cmd, c.args.at(-1)])).toEqual([[node, 'given']]);
    } finally {
      stop();
    }
  });

  it('starts what the decorator says, and throws what it makes of the exit', async () => {
    const calls: string[] = [];
    const d: CommandDecorator = {
      command: (cmd, args, zfsLock) => (calls.push(`command ${zfsLock}`), { cmd, args: [...args.slice(0, -1), 'decorated'] }),
      stream: (cmd, args) => ({ cmd, args: [...args] }),
      exited: (e) => (e.exitCode === 75 ? { refused: new AppError('ZFS_BUSY', `refused to ${e.op}`), note: 'not run' } : null),
    };
    await setCommandDecorator(d);
    const r = await run(node, ['-e', SELF, 'given'], { op: 'print itself', zfsLock: 'shared' });
    expect((JSON.parse(r.stdout) as { argv: string[] }).argv).toEqual(['decorated']);
    await expect(run(node, ['-e', 'process.exit(75)', 'x'], { op: 'exit 75' })).rejects.toMatchObject({ code: 'ZFS_BUSY', message: 'refused to exit 75' });
    expect(calls).toEqual(['command shared', 'command undefined']);
  });

  it('holds commands back while the decorator loads, then uses it', async () => {
    let resolve!: (d: CommandDecorator) => void;
    const loading = new Promise<CommandDecorator>((r) => (resolve = r));
    void setCommandDecorator(loading);
    const ran = run(node, ['-e', SELF, 'given'], { op: 'print itself' });
    await new Promise((r) => setTimeout(r, 50));
    resolve({ command: (cmd, args) => ({ cmd, args: [...args.slice(0, -1), 'late'] }), stream: (cmd, args) => ({ cmd, args: [...args] }), exited: () => null });
    expect((JSON.parse((await ran).stdout) as { argv: string[] }).argv).toEqual(['late']);
  });

  it('returns every exit with anyExit, and a timeout as timedOut', async () => {
    expect((await run(node, ['-e', 'process.exit(3)'], { op: 'exit 3', anyExit: true })).exitCode).toBe(3);
    await expect(run(node, ['-e', 'process.exit(3)'], { op: 'exit 3' })).rejects.toMatchObject({ code: 'TOOL_FAILED' });
    const slow = await run(node, ['-e', 'setTimeout(() => {}, 10000)'], { op: 'wait', anyExit: true, timeoutMs: 200, killSignal: 'SIGKILL' });
    expect(slow.timedOut).toBe(true);
  });
});
