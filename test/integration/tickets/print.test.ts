// The printed unit label and packing slip (tickets.print, `roundtrip ticket label`), read the way
// the receiving bench reads them: text with pdftotext, barcodes by rendering the page at a label
// printer's resolution (pdftoppm -r 200) and scanning it with zbarimg — a reader the app itself
// does not use. No ZFS: the tickets live in a private ROUNDTRIP_HOME.
import { afterAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { useTempHome } from '../../helpers/temp-home.ts';
import { call } from '../../../electron/hosts/engine-client.ts';
import { main } from '../../../electron/hosts/cli.ts';
import { closeTicketDb } from '../../../electron/tickets/db.ts';
import { checkReturnClocks } from '../../../electron/tickets/notify/notifications.ts';
import { addressLines, dataCenterFor } from '../../../electron/tickets/model/data-centers.ts';
import type { PackingItem } from '../../../electron/tickets/model/packing.ts';
import { forwardRequest, reverseRequest } from '../../unit/tickets/fixtures.ts';

const home = useTempHome('rt-print-');
afterAll(() => closeTicketDb());

let seq = 0;
/** Each printout in its own folder, so the pages pdftoppm writes are this file's alone. */
function freshDir(): string {
  return mkdtempSync(join(home, `out-${++seq}-`));
}

async function print(ticketId: string, kind: 'label' | 'packing-slip'): Promise<{ file: string; fileName: string; bytes: Buffer }> {
  const r = await call('tickets.print', { ticketId, kind });
  expect(r.mediaType).toBe('application/pdf');
  const bytes = Buffer.from(r.base64, 'base64');
  const file = join(freshDir(), r.fileName);
  writeFileSync(file, bytes);
  return { file, fileName: r.fileName, bytes };
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

async function pdfText(file: string): Promise<string> {
  return squash((await execa('pdftotext', ['-enc', 'UTF-8', file, '-'])).stdout);
}

async function pages(file: string): Promise<number> {
  const { stdout } = await execa('pdfinfo', [file]);
  return Number(/^Pages:\s+(\d+)/m.exec(stdout)?.[1]);
}

/** What a scanner reads off page 1 at 200 dpi, per symbology. */
async function scan(file: string): Promise<{ code128: string[]; qr: string[] }> {
  const dir = freshDir();
  await execa('pdftoppm', ['-r', '200', '-png', '-f', '1', '-l', '1', file, join(dir, 'page')]);
  const png = join(dir, readdirSync(dir).find((f) => f.endsWith('.png'))!);
  // zbarimg exits 4 when it finds nothing: that is an empty list here, and the assertion says so.
  const read = async (symbology: string) => {
    const r = await execa('zbarimg', ['--raw', '-q', '-Sdisable', `-S${symbology}.enable`, png], { reject: false });
    return r.stdout.split('\n').filter(Boolean).sort();
  };
  return { code128: await read('code128'), qr: await read('qrcode') };
}

async function advanceTo(ticketId: string, last: string, tracking?: string): Promise<void> {
  const steps: Array<[string, Record<string, unknown>]> = [
    ['consultation', {}],
    ['details-verified', {}],
    ['estimate-confirmed', { bytes: 2e12 }],
    ['synced', { bytes: 2.1e12 }],
    ['verified', {}],
    ['packed', {}],
    ['shipped', { trackingNumber: tracking }],
  ];
  for (const [step, extra] of steps) {
    await call('tickets.advance', { ticketId, step, actor: 'jane', ...extra });
    if (step === last) return;
  }
}

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
  try {
    return { code: await main(argv), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('ticket label and packing slip PDFs (pdftotext, pdftoppm, zbarimg)', () => {
  it('prints a one-page label with the ticket, partner, PO number and return address, whose codes scan', async () => {
    await call('tickets.create', { request: reverseRequest(), actor: 'jane' });
    const { file, fileName } = await print('T1234567', 'label');
    expect(fileName).toBe('ticket-1234567-label.pdf');
    expect(await pages(file)).toBe(1);

    const text = await pdfText(file);
    expect(text).toContain('Reverse RoundTrip');
    expect(text.split('1234567').length - 1).toBe(2);
    expect(text).toContain('Example Partner (reseller R-1)');
    expect(text).toContain('A1B2C3D4E5F6');
    for (const line of addressLines(dataCenterFor('usa'))) expect(text).toContain(squash(line));
    expect(text).toMatch(/PLACEHOLDER ADDRESS/);
    expect(text).toMatch(/SHIP OVERNIGHT/);

    expect(await scan(file)).toEqual({ code128: ['1234567', 'A1B2C3D4E5F6'].sort(), qr: ['1234567'] });
  }, 60_000);

  it('says RoundTrip and the receiving data center on a forward ticket', async () => {
    await call('tickets.create', { request: forwardRequest({ shipping: { region: 'canada' } }), actor: 'jane' });
    const { file } = await print('7654321', 'label');
    const text = await pdfText(file);
    expect(text).toMatch(/^RoundTrip /);
    expect(text).not.toContain('Reverse');
    expect(text).toMatch(/RECEIVING DATA CENTER/);
    for (const line of addressLines(dataCenterFor('canada'))) expect(text).toContain(squash(line));
    expect((await scan(file)).qr).toEqual(['7654321']);
  }, 60_000);

  it('lists every packing item on the slip, with which are required, the systems and the return address', async () => {
    const t = await call('tickets.get', { ticketId: '1234567' });
    const { file, fileName } = await print('1234567', 'packing-slip');
    expect(fileName).toBe('ticket-1234567-packing-slip.pdf');
    const text = await pdfText(file);
    expect(text).toContain('Packing slip');
    expect(text).toContain('Ticket 1234567');
    expect(t.packing.items.length).toBeGreaterThanOrEqual(5);
    for (const item of t.packing.items as unknown as PackingItem[]) {
      expect(text).toContain(`${squash(item.label)} (${item.required ? 'required' : 'optional'})`);
    }
    expect(text).toContain('win01: most recent point');
    expect(text).toContain('Return the unit overnight, in its original packaging, to');
    for (const line of addressLines(dataCenterFor('usa'))) expect(text).toContain(squash(line));
    expect(text).toContain('Ship overnight. PO number on the return label: A1B2C3D4E5F6.');
    expect(text).not.toContain('Outbound tracking');
  }, 60_000);

  it('shows the outbound tracking number and who packed once they are recorded', async () => {
    await advanceTo('1234567', 'shipped', '794612345678');
    const text = await pdfText((await print('1234567', 'packing-slip')).file);
    expect(text).toContain('Outbound tracking: 794612345678');
    expect(text).toMatch(/Packed by jane, \d{4}-\d\d-\d\d \d\d:\d\d\./);
  }, 60_000);

  it('prints the same bytes for the same ticket twice (a reprint is the same label)', async () => {
    // The ticket was just shipped: its return clock starts at the checker's next tick, which changes
    // the ticket (and so its label's date). Settled first, so both prints see one ticket.
    checkReturnClocks(new Date(), { flush: false });
    const before = (await call('tickets.get', { ticketId: '1234567' })).updatedAt;
    const a = await print('1234567', 'label');
    const b = await print('1234567', 'label');
    expect((await call('tickets.get', { ticketId: '1234567' })).updatedAt).toBe(before);
    expect(b.bytes.equals(a.bytes)).toBe(true);
  });

  it('keeps hostile ticket text on one valid label whose codes still scan to the exact ticket and serial', async () => {
    const rtl = 'שלום עולם مرحبا بالعالم';
    const serial = 'ZZ-0123456789-ABCDEFGHIJKLMNOPQR'; // the longest serial a ticket allows (32)
    const request = reverseRequest({
      ticketNumber: 'T0012345678',
      applianceSerial: serial,
      partner: { name: `<script>alert("x")</script> 😀🚚 ${rtl} \u202eevil\u202c ${'W'.repeat(60)}`.slice(0, 120), resellerId: '<b>R-9</b>\u0000' },
      contact: { name: `${'👩‍💻'.repeat(20)}`, email: 'x@example.com' },
      shipping: {
        region: 'emea',
        address: { recipient: 'Ω'.repeat(120), street: ['x'.repeat(120), rtl, '🏠'.repeat(30)], city: 'C'.repeat(80), postalCode: '1'.repeat(20), country: 'Ü'.repeat(60) },
      },
      instructions: `${rtl} <script>document.cookie</script> 😀 `.repeat(100).slice(0, 4000),
      systems: Array.from({ length: 200 }, (_, i) => ({ name: `host-${i}-${'a'.repeat(100)}`, points: { kind: 'latest' } })),
    });
    await call('tickets.create', { request, actor: 'jane' });

    const label = await print('0012345678', 'label');
    expect(await pages(label.file)).toBe(1);
    const text = await pdfText(label.file);
    // The big number and the line under its bars, both whole; the markup is printed as text.
    expect(text.split('0012345678').length - 1).toBe(2);
    expect(text.replace(/\s/g, '')).toContain('<script>alert("x")</script>');
    expect(await scan(label.file)).toEqual({ code128: ['0012345678', serial].sort(), qr: ['0012345678'] });

    const slip = await print('0012345678', 'packing-slip');
    expect(await pages(slip.file)).toBeGreaterThan(1);
    const slipText = await pdfText(slip.file);
    expect(slipText).toContain('Ticket 0012345678');
    // A name wider than the page wraps inside itself; every character is still there.
    expect(slipText.replace(/\s/g, '')).toContain(`host-199-${'a'.repeat(100)}:mostrecentpoint`);
    for (const line of addressLines(dataCenterFor('emea'))) expect(slipText).toContain(squash(line));
  }, 120_000);

  it('answers an unknown ticket with TICKET_NOT_FOUND', async () => {
    await expect(call('tickets.print', { ticketId: '9999999', kind: 'label' })).rejects.toMatchObject({ code: 'TICKET_NOT_FOUND' });
  });

  it('prints from the CLI: `ticket label ID --out F` and `--packing-slip`', async () => {
    const dir = freshDir();
    const labelFile = join(dir, 'label.pdf');
    const r = await cli('ticket', 'label', '--packing-slip', '1234567', '--out', join(dir, 'slip.pdf'), '--json');
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ file: join(dir, 'slip.pdf'), kind: 'packing-slip', mediaType: 'application/pdf' });
    expect(await pdfText(join(dir, 'slip.pdf'))).toContain('Packing slip');

    const l = await cli('ticket', 'label', 'T1234567', '--out', labelFile);
    expect(l.code, l.err).toBe(0);
    expect(l.out).toContain(`Wrote the unit label to ${labelFile}.`);
    expect(readFileSync(labelFile).subarray(0, 5).toString()).toBe('%PDF-');
    expect((await scan(labelFile)).qr).toEqual(['1234567']);

    const missing = await cli('ticket', 'label', '9999999', '--out', join(dir, 'none.pdf'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^TICKET_NOT_FOUND: There is no ticket 9999999 on this bench\./);
  }, 60_000);
});
