// `roundtrip engine --stdio`, the Electron app's privileged child, as a real process: JSON lines
// in, JSON lines out. Every kind of bad line gets a typed answer and the engine keeps serving; it
// exits when its stdin closes.
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { execa } from 'execa';
import fc from 'fast-check';
import { existsSync, readFileSync } from 'node:fs';
import { malformedRequest } from '../../helpers/malformed-requests.ts';

const BIN = join(import.meta.dirname, '..', '..', '..', 'bin', 'roundtrip.mjs');
const home = mkdtempSync(join(tmpdir(), 'rt-stdio-home-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

function startEngine() {
  const child = execa('node', [BIN, 'engine', '--stdio', '--no-drive-events'], { env: { ROUNDTRIP_HOME: home }, reject: false, stdin: 'pipe', stdout: 'pipe', buffer: false });
  const lines: unknown[] = [];
  const waiters: Array<() => void> = [];
  createInterface({ input: child.stdout! }).on('line', (l) => {
    lines.push(JSON.parse(l));
    waiters.splice(0).forEach((w) => w());
  });
  /** The next answer that satisfies `match`, waiting for it. */
  const next = async (match: (m: any) => boolean, timeoutMs = 30_000): Promise<any> => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const i = lines.findIndex(match);
      if (i >= 0) return lines.splice(i, 1)[0];
      if (Date.now() > until) throw new Error(`no matching line; got ${JSON.stringify(lines).slice(0, 2000)}`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 200);
      });
    }
  };
  return { child, next, send: (text: string) => child.stdin!.write(text + '\n') };
}

describe('roundtrip engine --stdio (a real child process, JSON lines)', () => {
  it('answers valid, malformed, oversized, unknown-method and wrong-type lines, each with a typed answer, and exits when stdin closes', async () => {
    const e = startEngine();
    e.send(JSON.stringify({ id: 1, method: 'engine.ping', params: {} }));
    const pong = await e.next((m) => m.id === 1);
    expect(pong).toMatchObject({ ok: true, result: { pong: true } });
    expect(pong.result.pid).toBe(e.child.pid);

    e.send('this is not json');
    expect(await e.next((m) => m.id === null && m.error?.code === 'BAD_INPUT')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/not JSON/) } });

    // 2 MiB on one line: refused unread, and the engine goes on with the next line.
    e.send(JSON.stringify({ id: 2, method: 'engine.ping', params: { pad: 'x'.repeat(2 * 1024 * 1024) } }));
    expect(await e.next((m) => m.error?.code === 'MESSAGE_TOO_LARGE')).toMatchObject({ ok: false, id: null });

    e.send(JSON.stringify({ id: 3, method: 'disks.wipeEverything', params: {} }));
    expect(await e.next((m) => m.id === 3)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_VERB' } });

    e.send(JSON.stringify({ id: 4, method: 'units.inspect', params: { device: 42 } }));
    const wrong = await e.next((m) => m.id === 4);
    expect(wrong).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', message: expect.stringMatching(/device/) } });
    expect(wrong.error.message).not.toMatch(/\n\s+at /);

    e.send(JSON.stringify({ id: 5, method: 'engine.info', params: {} }));
    expect(await e.next((m) => m.id === 5)).toMatchObject({ ok: true, result: { host: 'stdio', pid: e.child.pid } });

    e.child.stdin!.end();
    const done = await e.child;
    expect(done.exitCode).toBe(0);
  }, 90_000);

  it('answers requests sent in one write and split across writes, in order of their lines', async () => {
    const e = startEngine();
    const a = JSON.stringify({ id: 'a', method: 'engine.ping', params: {} });
    const b = JSON.stringify({ id: 'b', method: 'jobs.list', params: {} });
    e.child.stdin!.write(a + '\n' + b.slice(0, 10));
    await new Promise((r) => setTimeout(r, 100));
    e.child.stdin!.write(b.slice(10) + '\n');
    expect(await e.next((m) => m.id === 'a')).toMatchObject({ ok: true });
    expect(await e.next((m) => m.id === 'b')).toMatchObject({ ok: true, result: [] });
    e.child.stdin!.end();
    expect((await e.child).exitCode).toBe(0);
  }, 60_000);

  it('answers 10,000 malformed lines each with a typed error, keeps serving, and runs no command for any of them', async () => {
    const e = startEngine();
    // Huge strings are left to the dispatch fuzz test (3 MiB each); here they would be mostly pipe time.
    const reqs = fc.sample(malformedRequest.filter((r) => JSON.stringify(r).length < 64 * 1024), { numRuns: 10_000, seed: 17 });
    const logFile = join(home, 'logs', 'engine.log');
    const toolLines = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').filter((l) => l.includes('"kind":"tool"')).length : 0);
    const before = toolLines();
    let text = '';
    reqs.forEach((r, i) => (text += JSON.stringify({ id: `f${i}`, ...r }) + '\n'));
    e.child.stdin!.write(text);
    for (let i = 0; i < reqs.length; i++) {
      const a = await e.next((m) => m.id === `f${i}`);
      expect(a.ok, JSON.stringify(reqs[i]).slice(0, 300)).toBe(false);
      expect(['BAD_INPUT', 'UNKNOWN_VERB']).toContain(a.error.code);
    }
    // Still serving, and its log names no command started for any of them.
    e.send(JSON.stringify({ id: 'after', method: 'engine.ping', params: {} }));
    expect(await e.next((m) => m.id === 'after')).toMatchObject({ ok: true });
    expect(toolLines()).toBe(before);
    e.child.stdin!.end();
    expect((await e.child).exitCode).toBe(0);
  }, 300_000);

  it('exits when its parent dies, even while its stdin stays open', async () => {
    // A parent shell whose child engine reads the shell's stdin, a pipe this test keeps open:
    // killing the parent with -9 closes nothing, so the engine must notice it was re-parented.
    const parent = execa('bash', ['-c', `node ${BIN} engine --stdio --no-drive-events 0<&0 > /dev/null & echo $!; wait`], { env: { ROUNDTRIP_HOME: home }, reject: false, buffer: false, stdin: 'pipe' });
    const pid = await new Promise<number>((resolve) => parent.stdout!.once('data', (c: Buffer) => resolve(Number(String(c).trim()))));
    const alive = (p: number) => {
      try {
        process.kill(p, 0);
        return true;
      } catch {
        return false;
      }
    };
    await new Promise((r) => setTimeout(r, 3000));
    expect(alive(pid)).toBe(true);
    parent.kill('SIGKILL');
    await parent;
    const until = Date.now() + 30_000;
    while (alive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    expect(alive(pid)).toBe(false);
    parent.stdin?.destroy();
  }, 60_000);
});
