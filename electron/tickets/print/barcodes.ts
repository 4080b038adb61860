// The label's machine-readable codes as PNGs (bwip-js draws them in process: no tool, no network).
// Bars are drawn at several pixels per module and with their quiet zones, so a label printer's
// scaling and a scanner's blur still leave every bar readable.
import bwipjs from 'bwip-js/node';

export interface BarcodeImage {
  png: Buffer;
  /** Pixel size of the PNG, quiet zones included. */
  width: number;
  height: number;
  /** Pixels per module (bar unit): how far the image may be shrunk is counted in these. */
  pxPerModule: number;
}

const WHITE = 'FFFFFF';
const SCALE = 3;

/** bwip-js passes every BWIPP option through; its types list only the common ones (not eclevel). */
type Options = Parameters<typeof bwipjs.toBuffer>[0] & { eclevel?: 'L' | 'M' | 'Q' | 'H' };

async function image(opts: Options, pxPerModule: number): Promise<BarcodeImage> {
  const png = await bwipjs.toBuffer(opts);
  // The IHDR chunk: width and height are the two big-endian words after the signature and header.
  return { png, width: png.readUInt32BE(16), height: png.readUInt32BE(20), pxPerModule };
}

/** Code 128 of `text`, bars only: the human-readable line is set as PDF text, so it is selectable and exact. */
export function code128(text: string): Promise<BarcodeImage> {
  return image({ bcid: 'code128', text, scale: SCALE, height: 12, includetext: false, paddingwidth: 10, paddingheight: 2, backgroundcolor: WHITE }, SCALE);
}

/** QR code of `text` (error correction M: a scuffed label still reads). */
export function qrCode(text: string): Promise<BarcodeImage> {
  return image({ bcid: 'qrcode', text, scale: SCALE * 2, eclevel: 'M', paddingwidth: 4, paddingheight: 4, backgroundcolor: WHITE }, SCALE * 2);
}
