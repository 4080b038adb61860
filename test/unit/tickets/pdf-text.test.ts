// What the printouts do to ticket text before the built-in PDF font sees it: what it cannot draw
// becomes "?", invisible and direction-override characters go, long text is cut with an ellipsis.
import { describe, expect, it } from 'vitest';
import { pdfText } from '../../../electron/tickets/print/pdf-text.ts';

describe('pdfText', () => {
  it('keeps Latin-1 and Windows-1252 text as it is, markup included', () => {
    expect(pdfText('Müller & Søn “Ltd” – 5 €')).toBe('Müller & Søn “Ltd” – 5 €');
    expect(pdfText('<script>alert(1)</script>')).toBe('<script>alert(1)</script>');
    expect(pdfText('0012345678')).toBe('0012345678');
  });

  it('replaces each character the font cannot draw with one "?" (an emoji is one, not two)', () => {
    expect(pdfText('Acme 😀 שלום')).toBe('Acme ? ????');
    expect(pdfText('👩‍💻')).toBe('??'); // woman + zero-width joiner (dropped) + laptop
  });

  it('drops control and direction-override characters and folds line breaks into spaces', () => {
    expect(pdfText('a\u202eevil\u202c\u0000b')).toBe('aevilb');
    expect(pdfText('line one\r\nline\ttwo\u2028three')).toBe('line one line two three');
  });

  it('composes accents written as two code points', () => {
    expect(pdfText('Cafe\u0301')).toBe('Café');
  });

  it('clips to the length given, marking the cut with an ellipsis', () => {
    const s = pdfText('x'.repeat(500), 40);
    expect(s).toHaveLength(40);
    expect(s.endsWith('…')).toBe(true);
    expect(pdfText(undefined)).toBe('');
  });
});
