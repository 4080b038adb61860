// A pdfkit document collected into bytes, the same for every printout of the tickets: built-in
// fonts only (nothing to ship or fetch), and deterministic — the creation date is the ticket's last
// change, so printing the same ticket twice gives the same file, and a reprint is byte-identical.
import PDFDocument from 'pdfkit';

export type Pdf = InstanceType<typeof PDFDocument>;

export interface PdfOptions {
  size: [number, number] | string;
  margin: number;
  title: string;
  /** The moment the printed content last changed (ISO 8601). */
  asOf: string;
}

export async function renderPdf(opts: PdfOptions, draw: (doc: Pdf) => void | Promise<void>): Promise<Buffer> {
  const at = new Date(opts.asOf);
  const doc = new PDFDocument({
    size: opts.size,
    margin: opts.margin,
    info: { Title: opts.title, Author: 'RoundTrip Bench', Creator: 'RoundTrip Bench', Producer: 'RoundTrip Bench', CreationDate: Number.isNaN(at.getTime()) ? new Date(0) : at },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  try {
    await draw(doc);
  } finally {
    doc.end();
  }
  return done;
}
