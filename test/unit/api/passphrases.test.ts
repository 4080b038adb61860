// --passphrase-stdin as the CLI sends it and the engine applies it: one bare line is every
// encrypted agent's passphrase, SYSTEM=passphrase lines name their agent, and a single line that
// merely contains "=" is still one passphrase for all unless it names an encrypted agent.
import { describe, expect, it } from 'vitest';
import { expandPassphrases } from '../../../electron/engine/passphrases.ts';
import { passphrasesFromStdin } from '../../../electron/hosts/passphrase-stdin.ts';

const ENCRYPTED = ['ENC-SQL01', 'ENC-DC02'];
const apply = (stdin: string) => expandPassphrases(passphrasesFromStdin(stdin), ENCRYPTED);

describe('passphrases from standard input', () => {
  it('gives one bare line to every encrypted agent', () => {
    expect(apply('correct horse\n')).toEqual({ 'ENC-SQL01': 'correct horse', 'ENC-DC02': 'correct horse' });
  });

  it('gives a SYSTEM=passphrase line to its agent only', () => {
    expect(apply('ENC-SQL01=s3cret\n')).toEqual({ 'ENC-SQL01': 's3cret' });
    expect(apply('ENC-SQL01=a=b\nENC-DC02=c\n')).toEqual({ 'ENC-SQL01': 'a=b', 'ENC-DC02': 'c' });
  });

  it('keeps a single line with "=" whole when it names no encrypted agent', () => {
    expect(apply('x=y and more\n')).toMatchObject({ 'ENC-SQL01': 'x=y and more', 'ENC-DC02': 'x=y and more' });
  });

  it('removes only the line ending, and sends nothing for no input', () => {
    expect(apply('  spaced  \r\n')).toEqual({ 'ENC-SQL01': '  spaced  ', 'ENC-DC02': '  spaced  ' });
    expect(apply('')).toEqual({});
    expect(expandPassphrases(undefined, ENCRYPTED)).toBeUndefined();
  });
});
