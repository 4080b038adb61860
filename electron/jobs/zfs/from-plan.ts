// From the chain module's resolved selections to the sync job's per-system work.
import type { ResolvedSelection } from '../../chain/resolve.ts';
import type { ZfsSyncSystem } from './sync.ts';

export function syncSystemFrom(r: ResolvedSelection, sourceDataset: string, meta: { encrypted: boolean }, estimatedBytes?: number): ZfsSyncSystem {
  const base = r.base?.name ?? null;
  return {
    system: r.system,
    kind: r.kind,
    encrypted: meta.encrypted,
    sourceDataset,
    base,
    points: r.points.map((p) => p.name).filter((n) => n !== base),
    estimatedBytes,
  };
}
