// The renderer's API client against a real `roundtrip serve` that goes away and comes back (the
// engine restarted): its status says so, a call that was on the lost connection fails with
// ENGINE_UNREACHABLE instead of hanging, it reconnects by itself with back-off, and it asks again
// for the state of the job a screen follows.
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';

const home = mkdtempSync(join(tmpdir(), 'rt-client-home-'));
process.env.ROUNDTRIP_HOME = home;
afterAll(() => rmSync(home, { recursive: true, force: true }));

const { serve } = await import('../../../electron/hosts/serve.ts');
const { EngineClient } = await import('../../../renderer/api/client.ts');
const { webSocketTransport } = await import('../../../renderer/api/transport.ts');
type ClientStatus = import('../../../renderer/api/client.ts').ClientStatus;

describe('the renderer API client over serve, across an engine restart', () => {
  it('reconnects with back-off, fails the call that was in flight, and catches up on a followed job', async () => {
    let srv = await serve({ driveEvents: false });
    const port = srv.port;
    // The address comes from the page in a browser; here from whichever serve is running now.
    const socketUrl = () => srv.url.replace('http://', 'ws://').replace('/?token=', '/api?token=');
    const connect = (h: Parameters<ReturnType<typeof webSocketTransport>>[0]) => {
      class BenchSocket extends WebSocket {
        constructor(url: string) {
          super(url, { origin: `http://127.0.0.1:${port}` });
        }
      }
      return webSocketTransport(socketUrl(), BenchSocket as never)(h);
    };
    const statuses: ClientStatus[] = [];
    const client = new EngineClient(connect, { backoffMs: 100, maxBackoffMs: 400 });
    client.onStatus((s) => statuses.push(s));
    try {
      expect((await client.call('engine.ping', {})).pong).toBe(true);

      // A job that ends at once (no such drive): followed, then the engine goes away.
      const job = await client.call('jobs.start', { kind: 'verify', params: { device: '/dev/rt-no-such-drive' } });
      const seen: string[] = [];
      client.followJob(job.id, { state: (j) => seen.push(j.state) });
      const until = async (ok: () => boolean) => {
        const end = Date.now() + 20_000;
        while (!ok()) {
          if (Date.now() > end) throw new Error('timed out');
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      await until(() => (seen.length > 0 && seen.at(-1) === 'failed') || false);
      const failedBefore = seen.length;

      // A call on the connection that is about to go: it fails, it does not hang.
      const inFlight = client.call('drives.list', { includeLoops: false });
      await srv.close();
      const lost = await inFlight.then(
        () => null,
        (e) => e,
      );
      expect(lost?.code).toBe('ENGINE_UNREACHABLE');
      await until(() => client.status === 'reconnecting');

      // The engine comes back on the same port, with a new token.
      await new Promise((r) => setTimeout(r, 600));
      srv = await serve({ port, driveEvents: false });
      await until(() => client.status === 'open');
      expect(statuses).toEqual(expect.arrayContaining(['open', 'reconnecting']));
      // The followed job's state is asked again and given to the screen.
      await until(() => seen.length > failedBefore);
      expect(seen.at(-1)).toBe('failed');
      const again = await client.call('jobs.get', { jobId: job.id });
      expect(again.state).toBe('failed');
      expect(again.error?.message).toMatch(/rt-no-such-drive/);
    } finally {
      client.close();
      await srv.close();
    }
  }, 60_000);
});
