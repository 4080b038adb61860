// `roundtrip serve`: the engine behind a WebSocket on 127.0.0.1, for a browser on the same machine.
// A per-start secret token, and Host/Origin checks, keep other local pages and processes out.
import { createServer, type IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import { WebSocketServer } from 'ws';
import { dispatch } from '../engine/dispatch.ts';
import { wireAudit } from '../engine/wire-audit.ts';
import type { RpcRequest } from '../api/contract.ts';

export interface ServeHandle {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function placeholderPage(token: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>RoundTrip Bench</title>
<style>body{font:15px system-ui,sans-serif;margin:2rem;max-width:60rem}pre{background:#f4f4f4;padding:1rem}</style></head>
<body><h1>RoundTrip Bench</h1><p>The bench's engine is running. The full interface arrives with the UI issue; this page shows the lab.</p>
<h2>Lab</h2><pre id="lab">asking the engine…</pre>
<script>
const ws = new WebSocket('ws://' + location.host + '/api?token=${token}');
ws.onopen = () => ws.send(JSON.stringify({ id: 1, method: 'lab.status', params: {} }));
ws.onmessage = (m) => { const r = JSON.parse(m.data); document.getElementById('lab').textContent = r.ok ? JSON.stringify(r.result.systems ?? r.result, null, 2) : r.error.code + ': ' + r.error.message; };
</script></body></html>`;
}

export async function serve(opts: { port?: number } = {}): Promise<ServeHandle> {
  wireAudit();
  const token = randomBytes(24).toString('base64url');
  let port = 0;
  const hostOk = (req: IncomingMessage) => req.headers.host === `127.0.0.1:${port}` || req.headers.host === `localhost:${port}`;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!hostOk(req)) {
      res.writeHead(421).end('wrong host');
      return;
    }
    if (url.pathname === '/' && url.searchParams.get('token') === token) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(placeholderPage(token));
      return;
    }
    res.writeHead(403, { 'content-type': 'text/plain' }).end('Open the address that "roundtrip serve" printed (it carries the session token).');
  });
  const wss = new WebSocketServer({
    server,
    path: '/api',
    verifyClient: ({ req, origin }: { req: IncomingMessage; origin: string }) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const sameOrigin = origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
      return hostOk(req) && sameOrigin && url.searchParams.get('token') === token;
    },
  });
  wss.on('connection', (ws) => {
    ws.on('message', async (data) => {
      let req: RpcRequest;
      try {
        req = JSON.parse(String(data)) as RpcRequest;
      } catch {
        ws.send(JSON.stringify({ id: null, ok: false, error: { code: 'BAD_INPUT', message: 'The message is not JSON.' } }));
        return;
      }
      ws.send(JSON.stringify(await dispatch(req)));
    });
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise((r) => {
        wss.close();
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
