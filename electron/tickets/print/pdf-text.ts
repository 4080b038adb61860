// Ticket text made safe for the built-in PDF fonts. Helvetica draws WinAnsi (Latin-1 plus a few
// typographic marks) only; pdfkit writes anything else as garbage glyph codes, and an emoji's
// surrogate pair corrupts the text string. So a field is normalised, stripped of control and
// direction-override characters (a right-to-left override would reorder the rest of the line on
// screen copies), has every undrawable character replaced, and is clipped to a length the page can
// hold. Ticket numbers are digits and pass unchanged.

/** The 0x80-0x9F printable characters of Windows-1252, which Helvetica's WinAnsi encoding draws. */
const CP1252_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
/** Controls, bidi embeddings/overrides/isolates, zero-width marks, line/paragraph separators. */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g;
const REPLACEMENT = '?';

function drawable(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff) || CP1252_EXTRA.has(ch);
}

/** One line of text Helvetica can draw, at most `max` characters (an ellipsis marks a cut). */
export function pdfText(raw: string | undefined | null, max = 200): string {
  const s = String(raw ?? '')
    .normalize('NFC')
    .replace(/[\r\n\t\u2028\u2029]+/g, ' ')
    .replace(INVISIBLE, '');
  let out = '';
  for (const ch of s) out += drawable(ch) ? ch : REPLACEMENT;
  out = out.replace(/\s+/g, ' ').trim();
  return out.length > max ? `${out.slice(0, max - 1).trimEnd()}…` : out;
}
