// `roundtrip serve` as its own process on a home (an engine a test can kill -9, or a cold start a
// bench times), and the address with its session token that it prints.
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'roundtrip.mjs');

export async function serveProcess(home: string): Promise<{ url: string; proc: ResultPromise }> {
  const proc = execa('node', [BIN, 'serve'], { env: { ROUNDTRIP_HOME: home }, reject: false });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (c: Buffer) => {
      out += c;
      const m = /Open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    setTimeout(() => reject(new Error(`serve printed no address: ${out}`)), 30_000);
  });
  return { url, proc };
}
