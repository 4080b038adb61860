// A real SMTP server on 127.0.0.1 for the notification tests (the `smtp-server` package), which
// can be told to refuse mail with a temporary error, and which records what it accepted.
import { SMTPServer } from 'smtp-server';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface Received {
  from: string;
  to: string[];
  subject: string;
  body: string;
  raw: string;
}

function decode(raw: string): { subject: string; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  let body = raw.slice(split + 4);
  if (/content-transfer-encoding:\s*quoted-printable/i.test(head)) {
    body = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  } else if (/content-transfer-encoding:\s*base64/i.test(head)) {
    body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  const subject = /^subject: (.*)$/im.exec(head)?.[1] ?? '';
  return { subject, body: body.replace(/\r\n/g, '\n') };
}

export class TestSmtp {
  received: Received[] = [];
  /** While true, every message is refused with "451 try again later". */
  failing = false;
  refusals = 0;
  port = 0;
  private server: SMTPServer;

  constructor(readonly auth?: { user: string; pass: string }) {
    this.server = new SMTPServer({
      disabledCommands: auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
      authOptional: !auth,
      allowInsecureAuth: true,
      logger: false,
      onAuth: (a, _s, cb) => (auth && a.username === auth.user && a.password === auth.pass ? cb(null, { user: a.username }) : cb(new Error('Invalid username or password'))),
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (this.failing) {
            this.refusals++;
            const e = new Error('Mailbox temporarily unavailable, try again later') as Error & { responseCode: number };
            e.responseCode = 451;
            return cb(e);
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          this.received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            ...decode(raw),
            raw,
          });
          cb();
        });
      },
    });
  }

  listen(port = 0): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.port = ((this.server as unknown as { server: Server }).server.address() as AddressInfo).port;
        resolve(this.port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A port nothing listens on (yet). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A server that accepts TCP connections and never says a word: a hung relay. */
export async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<import('node:net').Socket>();
  const s = createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return {
    port: (s.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        for (const k of sockets) k.destroy();
        s.close(() => r());
      }),
  };
}
