// `roundtrip serve`: the engine behind a WebSocket on 127.0.0.1, for a browser on the same machine.
// A per-start secret token, and Host/Origin checks, keep other local pages and processes out. The
// socket carries requests, their answers and every engine event (jobs, hot-plug, tickets); the
// page and its assets are the built renderer (renderer-files.ts). A job never depends on a
// socket, so a reloaded page finds it running and follows it again.
import { createServer, type IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import { WebSocketServer } from 'ws';
import { MAX_MESSAGE_BYTES } from '../api/wire.ts';
import { startDriveEvents } from '../engine/drive-events.ts';
import { startEngine } from '../engine/start.ts';
import { openConnection } from './connection.ts';
import { rendererFile } from './renderer-files.ts';

export interface ServeHandle {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export async function serve(opts: { port?: number; driveEvents?: boolean } = {}): Promise<ServeHandle> {
  startEngine('serve');
  const token = randomBytes(24).toString('base64url');
  let port = 0;
  const hostOk = (req: IncomingMessage) => req.headers.host === `127.0.0.1:${port}` || req.headers.host === `localhost:${port}`;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!hostOk(req)) {
      res.writeHead(421).end('wrong host');
      return;
    }
    const isPage = url.pathname === '/' || url.pathname === '/index.html';
    // The page needs the session token; its assets are the app's public code and carry no data.
    if (!isPage || url.searchParams.get('token') === token) {
      const file = req.method === 'GET' || req.method === 'HEAD' ? rendererFile(url.pathname, port) : null;
      if (file) {
        res.writeHead(file.status, file.headers).end(req.method === 'HEAD' ? undefined : file.body);
        return;
      }
      if (!isPage) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
    }
    res.writeHead(403, { 'content-type': 'text/plain' }).end('Open the address that "roundtrip serve" printed (it carries the session token).');
  });
  const wss = new WebSocketServer({
    server,
    path: '/api',
    // A longer frame closes the socket (1009) before it is read whole.
    maxPayload: MAX_MESSAGE_BYTES,
    verifyClient: ({ req, origin }: { req: IncomingMessage; origin: string }) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const sameOrigin = origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
      return hostOk(req) && sameOrigin && url.searchParams.get('token') === token;
    },
  });
  wss.on('connection', (ws) => {
    const conn = openConnection((m) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
    });
    ws.on('message', (data) => void conn.receive(String(data)));
    ws.on('close', () => conn.close());
    ws.on('error', () => conn.close());
  });
  // The drive watch starts beside the server: its first listing asks ZFS, which may take long.
  const driveEvents = opts.driveEvents === false ? null : startDriveEvents();
  const stopDriveEvents = () => void driveEvents?.then((stop) => stop());
  await new Promise<void>((r) => server.listen(opts.port ?? 0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise((r) => {
        stopDriveEvents();
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
