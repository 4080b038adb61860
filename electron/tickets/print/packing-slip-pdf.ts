// The packing slip that goes in the box (R13–R15) on A4, or Letter where the region uses it: the
// ticket, the partner, the packing checklist with a box per item (ticked once "packed" recorded
// it) and which items are required, the protected systems on the unit, where it ships and where it
// comes back, "ship overnight", and the outbound tracking number once "shipped" recorded one.
// Text flows onto further pages when a ticket names many systems; every field is clipped first.
import { stepRecord } from '../model/lifecycle.ts';
import { returnClockApplies } from '../model/return-clock.ts';
import type { PointSelection } from '../model/ticket-schema.ts';
import type { Ticket } from '../model/ticket-view.ts';
import { renderPdf, type Pdf } from './pdf-doc.ts';
import { pdfText } from './pdf-text.ts';

const M = 50;
const GREY = '#555555';
const RED = '#b3261e';
/** North America prints on Letter; the other regions on A4. */
const LETTER_REGIONS = new Set(['usa', 'canada']);

function selectionText(p: PointSelection): string {
  switch (p.kind) {
    case 'latest':
      return 'most recent point';
    case 'one':
      return `point ${p.point}`;
    case 'range':
      return `points ${p.from} to ${p.to}`;
    case 'newer-than-lock':
      return 'every point not yet offsite';
  }
}

function heading(doc: Pdf, text: string): void {
  if (doc.y + 40 > doc.page.maxY()) doc.addPage();
  doc.moveDown(0.8).font('Helvetica-Bold').fontSize(11).fillColor('black').text(text, M);
  doc.moveDown(0.2).font('Helvetica').fontSize(10);
}

function field(doc: Pdf, name: string, value: string): void {
  doc.font('Helvetica-Bold').fontSize(10).text(`${name}: `, M, undefined, { continued: true }).font('Helvetica').text(value || '-');
}

/** One checklist line: a box (ticked when packed), the item, and whether it is required. */
function checkItem(doc: Pdf, label: string, required: boolean, ticked: boolean): void {
  const size = 9;
  if (doc.y + 16 > doc.page.maxY()) doc.addPage();
  const y = doc.y + 1;
  doc.lineWidth(0.8).rect(M, y, size, size).stroke();
  if (ticked) doc.moveTo(M + 2, y + 4.5).lineTo(M + 4, y + 7).lineTo(M + 7.5, y + 2).stroke();
  doc.font('Helvetica').fontSize(10).text(`${pdfText(label)}  `, M + size + 6, doc.y, { continued: true });
  doc.font('Helvetica-Oblique').fillColor(required ? 'black' : GREY).text(required ? '(required)' : '(optional)');
  doc.fillColor('black').moveDown(0.35);
}

function addressBlock(doc: Pdf, lines: readonly string[]): void {
  doc.font('Helvetica').fontSize(10);
  for (const l of lines) doc.text(pdfText(l, 120), M + 12);
}

export async function packingSlipPdf(t: Ticket): Promise<Buffer> {
  const r = t.request;
  const size = LETTER_REGIONS.has(r.shipping.region) ? 'LETTER' : 'A4';
  const packed = stepRecord(t.steps, 'packed');
  const shipped = stepRecord(t.steps, 'shipped');
  const ret = t.packing.returnLabel;
  return renderPdf({ size, margin: M, title: `Packing slip, ticket ${t.id}`, asOf: t.updatedAt }, (doc) => {
    doc.font('Helvetica-Bold').fontSize(18).text('Packing slip', M, M);
    doc.font('Helvetica-Bold').fontSize(14).text(`Ticket ${t.id}`, M, undefined);
    doc.font('Helvetica').fontSize(11).text(pdfText(t.packing.unitLabel.direction));
    doc.moveDown(0.5);
    field(doc, 'Partner / reseller ID', pdfText(t.packing.unitLabel.partner, 160));
    field(doc, 'PO number (appliance serial)', r.applianceSerial);
    field(doc, 'Unit', `${r.unit.kind === 'nas-unit' ? 'NAS unit' : 'USB drive'}, provided by ${r.unit.providedBy === 'partner' ? 'the partner' : 'the data center'}`);
    field(doc, 'Contents', `${r.format.filesystem.toUpperCase()} ${r.format.layout}${r.format.imageFormat ? ` (${r.format.imageFormat.toUpperCase()})` : ''}`);
    field(doc, 'Technical contact', pdfText(`${r.contact.name} <${r.contact.email}>${r.contact.phone ? ` ${r.contact.phone}` : ''}`, 200));
    if (shipped?.trackingNumber) field(doc, 'Outbound tracking', shipped.trackingNumber);

    heading(doc, 'In the box');
    for (const item of t.packing.items) checkItem(doc, item.label, item.required, packed?.items?.includes(item.id) ?? false);
    if (packed) doc.font('Helvetica').fontSize(8).fillColor(GREY).text(`Packed by ${pdfText(packed.by, 60)}, ${packed.at.slice(0, 16).replace('T', ' ')}.`, M).fillColor('black');

    heading(doc, `Systems on the unit (${r.systems.length})`);
    for (const s of r.systems) doc.font('Helvetica').fontSize(9).text(`${pdfText(s.name, 128)}: ${pdfText(selectionText(s.points), 120)}`, M + 12);

    heading(doc, 'Ship to');
    addressBlock(doc, t.packing.shipTo);

    if (r.direction === 'forward') heading(doc, 'Ship overnight to the receiving data center');
    else if (returnClockApplies(r)) heading(doc, 'Return the unit overnight, in its original packaging, to');
    else heading(doc, 'The unit is the partner\u2019s own; questions to the data center');
    addressBlock(doc, ret.returnAddressLines);
    if (ret.placeholderAddress) doc.moveDown(0.3).font('Helvetica-Bold').fontSize(9).fillColor(RED).text('PLACEHOLDER ADDRESS: replace before shipping.', M + 12).fillColor('black');
    if (returnClockApplies(r)) {
      doc.moveDown(0.3).font('Helvetica-Bold').fontSize(10).text(`Ship overnight. PO number on the return label: ${ret.poNumber}.`, M + 12);
    }

    if (r.instructions) {
      heading(doc, 'Instructions');
      doc.font('Helvetica').fontSize(9).text(pdfText(r.instructions, 1500), M, undefined, { width: doc.page.width - 2 * M });
    }
  });
}
