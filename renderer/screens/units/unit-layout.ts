// What a unit's layout means on the bench: whether its public manifest hides its systems (a sealed
// unit is read only with its unit passphrase), and what it holds in a technician's words. Shared by
// the Units, Merge and Unseal screens, so a sealed unit reads the same on each.
import { isSealedLayout } from '../../../electron/drives/types.ts';

/** Sealed ZFS streams or sealed disk images: no system is named without the unit passphrase. */
export const isSealedUnit = (layout: string) => isSealedLayout(layout);

/** Sealed disk images: unsealed into a folder, never merged into a pool. */
export const holdsSealedImages = (layout: string) => layout === 'images-sealed';

export function layoutWords(layout: string): string {
  if (holdsSealedImages(layout)) return 'Sealed disk images (encrypted)';
  return isSealedUnit(layout) ? 'Sealed (encrypted)' : layout.toUpperCase();
}
