// The Merge screen's view of a unit's manifest: read from the drive (`units.inspect`), or for a
// NAS unit from the NAS's unit list (`units.list` with the NAS), which reads the same manifest.
import { EngineError } from '../../api/client.ts';
import { useCall } from '../../app/use-engine.ts';
import type { UnitRef } from './unit-ref.ts';

export interface UnitManifest {
  ticketId: string;
  /** `zfs-sealed`: its public manifest names no system; they are read with the unit passphrase. */
  layout: string;
  direction?: string | null;
  systems: Array<{ system: string; encrypted: boolean; points: number }>;
}

export interface UnitManifestState {
  /** undefined while asking; null when the unit holds no manifest. */
  manifest: UnitManifest | null | undefined;
  loading: boolean;
  error: EngineError | null;
}

export function useUnitManifest(ref: UnitRef | null): UnitManifestState {
  const onDrive = useCall('units.inspect', ref && 'device' in ref ? { device: ref.device } : null);
  const onNas = useCall('units.list', ref && 'nas' in ref ? { nas: ref.nas } : null, [ref && 'nas' in ref ? JSON.stringify(ref.nas) : '']);
  if (ref && 'device' in ref) {
    const m = onDrive.data?.manifest as { ticketId: string; direction?: string; systems: Array<{ system: string; encrypted: boolean; points: unknown[] }> } | null | undefined;
    const layout = onDrive.data?.metadata.layout ?? '';
    return {
      manifest: onDrive.data ? (m ? { ticketId: m.ticketId, layout, direction: m.direction, systems: m.systems.map((s) => ({ system: s.system, encrypted: s.encrypted, points: s.points.length })) } : null) : undefined,
      loading: onDrive.loading,
      error: onDrive.error,
    };
  }
  const unit = ref ? onNas.data?.units.find((u) => u.nas?.dataset === ref.nasDataset) : undefined;
  const missing = onNas.data && !unit ? new EngineError({ code: 'NOT_FOUND', message: `The NAS has no unit ${ref?.nasDataset ?? ''}${onNas.data.notes.length ? `: ${onNas.data.notes.join(' ')}` : ''}.` }) : null;
  return {
    manifest: unit ? { ticketId: unit.ticketId ?? '', layout: unit.layout, direction: unit.direction, systems: unit.systems.map((s) => ({ system: s.system, encrypted: s.encrypted, points: s.points.length })) } : onNas.data ? null : undefined,
    loading: onNas.loading,
    error: onNas.error ?? missing,
  };
}
