// The practice lab's encrypted agent needs a passphrase a technician can type and a test can know,
// yet no file may hold a passphrase (not even lab.json). So it is derived from the lab's id: the
// same lab always has the same one, `lab status` shows it, and nothing stores it.
import { createHash } from 'node:crypto';

export function labAgentPassphrase(labId: string): string {
  return `lab-${createHash('sha256').update(`roundtrip practice agent ${labId}`).digest('hex').slice(0, 12)}`;
}
