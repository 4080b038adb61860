// The kept-unit report as PDF (pdfkit, built-in Helvetica: no font files to ship), the same lines
// as the HTML report.
import { createWriteStream } from 'node:fs';
import PDFDocument from 'pdfkit';
import { STATUS_WORD, type KeptReport } from './kept-types.ts';

const COLOR = { passed: '#1b7a34', failed: '#b3261e', 'not-available': '#6b6b6b', skipped: '#6b6b6b' };

export function writeKeptReportPdf(r: KeptReport, file: string): Promise<void> {
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `Kept unit verification — ticket ${r.unit.ticketId}`, Author: r.tool.name } });
  const out = createWriteStream(file);
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', () => resolve());
    out.on('error', reject);
    doc.on('error', reject);
  });
  doc.pipe(out);
  doc.font('Helvetica-Bold').fontSize(16).text('Kept unit verification report');
  doc.moveDown(0.5);
  doc.fillColor(r.ok ? COLOR.passed : COLOR.failed).fontSize(12).text(r.ok ? 'Every check passed.' : `Failed: ${r.checks.filter((c) => c.status === 'failed').map((c) => c.title).join('; ')}`);
  doc.fillColor('black').font('Helvetica').fontSize(9);
  doc.moveDown(0.5);
  doc.text(`Ticket ${r.unit.ticketId} · unit ${r.unit.unitId} · appliance ${r.unit.applianceSerial ?? '-'} · ${r.unit.direction}`);
  doc.text(`Pool ${r.unit.pool} on ${r.unit.devices.join(', ')} · synced ${r.unit.syncedAt}`);
  for (const s of r.unit.systems) doc.text(`${s.system}: ${s.points} point(s), ${s.first ?? '-'} … ${s.last ?? '-'}`);
  for (const c of r.checks) {
    doc.moveDown(0.8);
    doc.font('Helvetica-Bold').fontSize(10).fillColor(COLOR[c.status]).text(`${STATUS_WORD[c.status]}  `, { continued: true }).fillColor('black').text(c.title);
    doc.font('Helvetica').fontSize(9).text(c.summary);
    doc.fontSize(7.5).fillColor('#333333');
    for (const x of c.evidence) doc.text(`• ${x}`, { indent: 10 });
    doc.fillColor('black');
  }
  doc.moveDown(1);
  doc.fontSize(7).fillColor('#666666').text(`Generated ${r.generatedAt} by ${r.tool.name} ${r.tool.version}.`);
  doc.end();
  return done;
}
