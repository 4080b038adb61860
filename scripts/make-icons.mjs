// Draws the app's icon (build/icons/roundtrip-bench.svg, the same shapes) into PNGs at the sizes
// a Linux desktop asks for: build/icons/SIZExSIZE.png. No image tool is needed: the shapes are
// simple enough to rasterise here (4×4 samples per pixel), and PNG is zlib plus a CRC.
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const out = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'build', 'icons');
export const SIZES = [16, 24, 32, 48, 64, 128, 256, 512];

const BLUE = [0x1f, 0x5f, 0xa8];
const WHITE = [255, 255, 255];
const GOLD = [0xf2, 0xb6, 0x32];

/** The colour at (x, y) in the SVG's 512 units, or null for transparent. */
function colourAt(x, y) {
  const dCenter = Math.hypot(x - 356, y - 128);
  if (dCenter <= 44) return GOLD;
  const r = Math.hypot(x - 256, y - 256);
  // The ring: radius 150 ± 22, open between 12 o'clock (-90°) and the end at -32.8°.
  const a = (Math.atan2(y - 256, x - 256) * 180) / Math.PI;
  if (Math.abs(r - 150) <= 22 && !(a > -90 && a < -32.8)) return WHITE;
  const inset = (v) => Math.max(16 + 96 - v, 0, v - (496 - 96));
  const dx = inset(x);
  const dy = inset(y);
  if (x >= 16 && x <= 496 && y >= 16 && y <= 496 && Math.hypot(dx, dy) <= 96) return BLUE;
  return null;
}

function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

export function png(size) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  const S = 4;
  for (let py = 0; py < size; py++) {
    raw[py * (size * 4 + 1)] = 0;
    for (let px = 0; px < size; px++) {
      let [r, g, b, n] = [0, 0, 0, 0];
      for (let sy = 0; sy < S; sy++)
        for (let sx = 0; sx < S; sx++) {
          const c = colourAt(((px + (sx + 0.5) / S) * 512) / size, ((py + (sy + 0.5) / S) * 512) / size);
          if (c) [r, g, b, n] = [r + c[0], g + c[1], b + c[2], n + 1];
        }
      const o = py * (size * 4 + 1) + 1 + px * 4;
      raw[o] = n ? Math.round(r / n) : 0;
      raw[o + 1] = n ? Math.round(g / n) : 0;
      raw[o + 2] = n ? Math.round(b / n) : 0;
      raw[o + 3] = Math.round((255 * n) / (S * S));
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const s of SIZES) writeFileSync(join(out, `${s}x${s}.png`), png(s));
  console.log(`wrote ${SIZES.map((s) => `${s}x${s}.png`).join(', ')} to ${out}`);
}
