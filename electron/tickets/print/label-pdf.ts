// The unit's label (R13) on a 4×6 inch shipping-label page: the ticket number large, as Code 128
// and as a QR code (a scanner at the receiving bench reads the ticket from either), the partner
// name or reseller ID, the PO number (= appliance serial) as Code 128, RoundTrip or Reverse
// RoundTrip, and the data center the unit goes back to. Always exactly one page: every text box has
// a height, so hostile ticket text is cut, never spilled onto a second label.
import { returnClockApplies } from '../model/return-clock.ts';
import type { Ticket } from '../model/ticket-view.ts';
import { code128, qrCode, type BarcodeImage } from './barcodes.ts';
import { renderPdf, type Pdf } from './pdf-doc.ts';
import { pdfText } from './pdf-text.ts';

const PT_PER_INCH = 72;
const PAGE: [number, number] = [4 * PT_PER_INCH, 6 * PT_PER_INCH];
const M = 14;
const W = PAGE[0] - 2 * M;
/** Bars may run nearer the edge than text: the PNG carries its own quiet zones. */
const BAR_W = PAGE[0] - 8;
/** Widest a Code 128 module is drawn: past this a short number would only get wider, not easier. */
const MAX_MODULE_PT = 1.3;
const GREY = '#555555';
const RED = '#b3261e';

function caption(doc: Pdf, text: string, y: number): void {
  doc.font('Helvetica').fontSize(7).fillColor(GREY).text(text.toUpperCase(), M, y, { width: W, height: 9, lineBreak: false, characterSpacing: 0.5 });
  doc.fillColor('black');
}

/** A Code 128 across at most the label's width, centred, with its value as text under the bars. */
function barcode(doc: Pdf, code: BarcodeImage, value: string, y: number, barHeight: number): number {
  const ptPerPx = Math.min(MAX_MODULE_PT / code.pxPerModule, BAR_W / code.width);
  const width = code.width * ptPerPx;
  doc.image(code.png, (PAGE[0] - width) / 2, y, { width, height: barHeight });
  doc.font('Helvetica').fontSize(10).text(value, M, y + barHeight + 2, { width: W, height: 12, align: 'center', lineBreak: false });
  return y + barHeight + 14;
}

export async function labelPdf(t: Ticket): Promise<Buffer> {
  const number = t.id;
  const serial = t.request.applianceSerial;
  const ret = t.packing.returnLabel;
  const [ticketBars, serialBars, qr] = await Promise.all([code128(number), code128(serial), qrCode(number)]);
  return renderPdf({ size: PAGE, margin: M, title: `Unit label, ticket ${number}`, asOf: t.updatedAt }, (doc) => {
    const qrSize = 84;
    const left = W - qrSize - 8;
    doc.image(qr.png, PAGE[0] - M - qrSize, M, { width: qrSize, height: qrSize });
    doc.font('Helvetica-Bold').fontSize(14).text(pdfText(t.packing.unitLabel.direction), M, M, { width: left, height: 18, lineBreak: false });
    doc.font('Helvetica').fontSize(8).fillColor(GREY).text('TICKET', M, M + 26, { width: left, height: 10, lineBreak: false });
    // Ten digits at full size would run under the QR code: the number shrinks to fit, never clips.
    doc.fillColor('black').font('Helvetica-Bold').fontSize(1);
    const size = Math.min(32, left / doc.widthOfString(number));
    doc.fontSize(size).text(number, M, M + 36 + (32 - size) / 2, { width: left + 1, height: 40, lineBreak: false });

    let y = barcode(doc, ticketBars, number, M + qrSize + 8, 46) + 6;

    caption(doc, 'Partner / reseller ID', y);
    doc.font('Helvetica-Bold').fontSize(12).text(pdfText(t.packing.unitLabel.partner, 160), M, y + 10, { width: W, height: 30, ellipsis: true });
    y += 44;

    caption(doc, 'PO number (appliance serial)', y);
    y = barcode(doc, serialBars, serial, y + 11, 36) + 6;

    caption(doc, t.request.direction === 'forward' ? 'Receiving data center' : 'Return to', y);
    const lines = ret.returnAddressLines.map((l) => pdfText(l, 60));
    doc.font('Helvetica').fontSize(10).text(lines.join('\n'), M, y + 10, { width: W, height: 12 * 7, ellipsis: true });
    y += 12 + 12 * Math.min(lines.length, 7);
    if (ret.placeholderAddress) {
      doc.font('Helvetica-Bold').fontSize(8).fillColor(RED).text('PLACEHOLDER ADDRESS: replace before shipping', M, y + 2, { width: W, height: 10, lineBreak: false });
      doc.fillColor('black');
    }

    const bottom = PAGE[1] - M - 16;
    doc.moveTo(M, bottom - 4).lineTo(PAGE[0] - M, bottom - 4).lineWidth(0.75).stroke();
    doc.font('Helvetica-Bold').fontSize(12).text(`Ship ${ret.service.toLowerCase()}`.toUpperCase(), M, bottom, { width: W / 2, height: 14, lineBreak: false });
    if (returnClockApplies(t.request)) {
      doc.font('Helvetica').fontSize(8).text('Return in the original packaging', M + W / 2, bottom + 3, { width: W / 2, height: 10, align: 'right', lineBreak: false });
    }
  });
}
