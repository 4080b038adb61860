// What the Merge-back screen says about one system, from the engine's preview or result (R18):
// the outcome in words with an icon, and a destination point named with its time. Pure.
import type { Tone } from '../../components/Badge.tsx';

export interface MergePoint {
  name: string;
  guid: string;
  /** Seconds since the epoch, when the point's name is its time. */
  time?: number;
}

/** One system of `merge.preview` or of a merge job's result. */
export interface MergeSystem {
  system: string;
  dataset?: string;
  outcome: 'new' | 'merged' | 'up-to-date' | 'refused' | 'failed';
  code?: string;
  message: string;
  hint?: string;
  common?: MergePoint | null;
  newer?: MergePoint[];
  rolledBack?: MergePoint[];
  received?: Array<{ name: string; guid: string }>;
  encrypted?: boolean;
  agentState?: 'locked' | 'unlocked';
  restored?: boolean;
}

export function pointName(p: MergePoint): string {
  if (p.time === undefined) return p.name;
  const d = new Date(p.time * 1000);
  return `${p.name} (${d.toISOString().slice(0, 16).replace('T', ' ')} UTC)`;
}

export function receives(s: MergeSystem): boolean {
  return s.outcome === 'new' || s.outcome === 'merged';
}

/** The preview's outcome: what will happen to the system before anything runs. */
export function previewLook(s: MergeSystem): { tone: Tone; icon: string; word: string } {
  if (s.outcome === 'new') return { tone: 'info', icon: '▶', word: 'new system: received in full' };
  if (s.outcome === 'merged') return s.rolledBack?.length ? { tone: 'warn', icon: '⚠', word: 'new points, after a rollback' } : { tone: 'info', icon: '▶', word: 'new points to receive' };
  if (s.outcome === 'up-to-date') return { tone: 'ok', icon: '✔', word: 'already there' };
  if (s.code === 'MERGE_NEWER_POINTS') return { tone: 'danger', icon: '✖', word: 'refused: the destination holds newer points' };
  if (s.code === 'MERGE_NO_COMMON_POINT') return { tone: 'danger', icon: '✖', word: 'refused: no common point' };
  return { tone: 'danger', icon: '✖', word: s.outcome };
}

/** The job's outcome: what happened. */
export function resultLook(s: MergeSystem): { tone: Tone; icon: string; word: string } {
  if (s.outcome === 'new') return { tone: 'ok', icon: '✔', word: 'received as a new system' };
  if (s.outcome === 'merged') return { tone: 'ok', icon: '✔', word: 'merged' };
  if (s.outcome === 'up-to-date') return { tone: 'ok', icon: '✔', word: 'already there' };
  if (s.outcome === 'failed') return { tone: 'danger', icon: '✖', word: s.restored === false ? 'failed: not put back' : 'failed: put back as it was' };
  return previewLook(s);
}
