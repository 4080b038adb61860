// What the bench remembers between screens: the technician's name (the "who" of every step they
// record) and, per ticket, the drives they chose. Neither is a secret; nothing secret is ever kept
// here (passphrases live in a form's state only).
import { create } from 'zustand';

const TECH_KEY = 'roundtrip.technician';
const DRIVES_KEY = 'roundtrip.drives.';

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}
function write(key: string, value: string | null): void {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    /* storage refused (private window): the name is asked for again next time */
  }
}

interface SessionState {
  technician: string;
  setTechnician(name: string): void;
  drives: Record<string, string[]>;
  setDrives(ticketId: string, devices: string[]): void;
}

export const useSession = create<SessionState>((set, get) => ({
  technician: read(TECH_KEY) ?? '',
  setTechnician(name) {
    write(TECH_KEY, name.trim() ? name : null);
    set({ technician: name });
  },
  drives: {},
  setDrives(ticketId, devices) {
    write(DRIVES_KEY + ticketId, JSON.stringify(devices));
    set({ drives: { ...get().drives, [ticketId]: devices } });
  },
}));

/** The drives chosen for a ticket, remembered across a reload. */
export function chosenDrives(ticketId: string): string[] {
  const mem = useSession.getState().drives[ticketId];
  if (mem) return mem;
  try {
    const v = JSON.parse(read(DRIVES_KEY + ticketId) ?? '[]');
    return Array.isArray(v) ? v.filter((d): d is string => typeof d === 'string') : [];
  } catch {
    return [];
  }
}

/** The actor sent with each recorded step: the name typed in the top bar, else "bench". */
export function actor(): string {
  return useSession.getState().technician.trim() || 'bench';
}

/** Lock moves (R11) per ticket: system → the common point the technician moved its lock to. */
interface LockState {
  locks: Record<string, Record<string, string>>;
  setLock(ticketId: string, system: string, point: string | null): void;
}

const LOCKS_KEY = 'roundtrip.locks.';

export const useLocks = create<LockState>((set, get) => ({
  locks: {},
  setLock(ticketId, system, point) {
    const mine = { ...(get().locks[ticketId] ?? readLocks(ticketId)) };
    if (point === null) delete mine[system];
    else mine[system] = point;
    write(LOCKS_KEY + ticketId, JSON.stringify(mine));
    set({ locks: { ...get().locks, [ticketId]: mine } });
  },
}));

function readLocks(ticketId: string): Record<string, string> {
  try {
    const v = JSON.parse(read(LOCKS_KEY + ticketId) ?? '{}');
    return v && typeof v === 'object' ? (v as Record<string, string>) : {};
  } catch {
    return {};
  }
}

export function locksOf(ticketId: string): Record<string, string> {
  return useLocks.getState().locks[ticketId] ?? readLocks(ticketId);
}

/** A NAS unit chosen for a ticket (R3): how to reach it over ssh and the pool the unit goes into. */
export interface NasChoice {
  nas: { host: string; port?: number; user?: string; identityFile: string; knownHostsFile: string };
  pool: string;
}

const NAS_KEY = 'roundtrip.nas.';

interface NasState {
  nas: Record<string, NasChoice | null>;
  setNas(ticketId: string, choice: NasChoice | null): void;
}

export const useNas = create<NasState>((set, get) => ({
  nas: {},
  setNas(ticketId, choice) {
    write(NAS_KEY + ticketId, choice ? JSON.stringify(choice) : null);
    set({ nas: { ...get().nas, [ticketId]: choice } });
  },
}));

export function nasOf(ticketId: string): NasChoice | null {
  const mem = useNas.getState().nas[ticketId];
  if (mem !== undefined) return mem;
  try {
    const v = JSON.parse(read(NAS_KEY + ticketId) ?? 'null') as NasChoice | null;
    return v && typeof v.pool === 'string' && v.nas && typeof v.nas.host === 'string' ? v : null;
  } catch {
    return null;
  }
}

/**
 * The NAS the Units screen last looked at for NAS units: an ssh address (host, port, user, the
 * key and known_hosts paths on this bench), no secret. Null: drives only.
 */
const NAS_UNITS_KEY = 'roundtrip.nas-units';

interface NasUnitsState {
  nasForUnits: NasChoice['nas'] | null;
  setNasForUnits(nas: NasChoice['nas'] | null): void;
}

function readNasForUnits(): NasChoice['nas'] | null {
  try {
    const v = JSON.parse(read(NAS_UNITS_KEY) ?? 'null') as NasChoice['nas'] | null;
    return v && typeof v.host === 'string' && typeof v.identityFile === 'string' && typeof v.knownHostsFile === 'string' ? v : null;
  } catch {
    return null;
  }
}

export const useNasForUnits = create<NasUnitsState>((set) => ({
  nasForUnits: readNasForUnits(),
  setNasForUnits(nas) {
    write(NAS_UNITS_KEY, nas ? JSON.stringify(nas) : null);
    set({ nasForUnits: nas });
  },
}));
