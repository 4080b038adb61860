// The kept-unit report (R19): one line per check with its evidence, kept by the partner.
export type CheckStatus = 'passed' | 'failed' | 'not-available' | 'skipped';

export interface KeptCheck {
  id: 'contents' | 'file-restore' | 'image-export' | 'pool-health' | 'smart';
  title: string;
  status: CheckStatus;
  /** One sentence: what was found. */
  summary: string;
  /** The facts behind it: digests, tool answers, file hashes. */
  evidence: string[];
}

export interface KeptReport {
  /** True when no check failed ("not available", e.g. SMART through a USB bridge, is not a failure). */
  ok: boolean;
  generatedAt: string;
  tool: { name: string; version: string };
  unit: {
    unitId: string;
    ticketId: string;
    applianceSerial: string | null;
    direction: string;
    pool: string;
    devices: string[];
    syncedAt: string;
    systems: Array<{ system: string; points: number; first: string | null; last: string | null }>;
  };
  checks: KeptCheck[];
  files?: { html: string; pdf: string };
}

export const STATUS_WORD: Record<CheckStatus, string> = {
  passed: 'PASSED',
  failed: 'FAILED',
  'not-available': 'NOT AVAILABLE',
  skipped: 'SKIPPED',
};
