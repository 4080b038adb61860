// The Units and Merge-back screens' questions: which RoundTrip units are attached (read from each
// drive's metadata partition, so a unit from another bench shows from its own manifest), where a
// unit can be merged back (the sites this bench knows), and whether a passphrase opens an
// encrypted agent's key record on the unit, before a merge is started. Nothing here changes a
// destination; the passphrase lives in this call's memory only.
import { AppError, toAppError } from '../api/errors.ts';
import type { AttachedUnit } from '../api/schemas/units.ts';
import { parseKeyRecord, unwrapAgentKey } from '../appliance/agent-key.ts';
import { readRegisteredSites } from '../appliance/default-sites.ts';
import type { NasHost } from '../drives/nas.ts';
import type { JudgedDrive } from '../drives/types.ts';
import { openUnit, type UnitOnDrive } from '../jobs/unit.ts';
import { KEY_RECORD_FILE } from '../merge/unlock.ts';
import { openUnitSource, unitRefOf } from '../merge/unit-source.ts';
import { datasetExists } from '../system/zfs/index.ts';
import { TicketStore } from '../tickets/store.ts';
import { jobs } from './jobs/registry.ts';
import { listNasUnits } from './nas-units.ts';
import { unitRow } from './unit-row.ts';

const META_LABEL = 'RTMETA';

/** A drive that looks like a unit's member: its first partition is a RoundTrip metadata partition. */
function looksLikeUnit(d: JudgedDrive): boolean {
  return d.partitions.some((p) => p.number === 1 && (p.partLabel === META_LABEL || p.label === META_LABEL));
}

type Read = { device: string; unit: UnitOnDrive } | { device: string; failed: string; unitId: string | null };

async function readDrive(device: string): Promise<Read> {
  try {
    return { device, unit: await openUnit(device) };
  } catch (e) {
    const err = toAppError(e);
    // A manifest whose checksum fails still has readable metadata: the unit is shown, not sealed.
    return { device, failed: err.message, unitId: null };
  }
}

/** `ofUnit` picks the verify jobs that read this unit (by their device, or their NAS dataset). */
function verifyState(ticketId: string | null, ofUnit: (params: { device?: string; nasDataset?: string }) => boolean): AttachedUnit['verify'] {
  if (ticketId) {
    try {
      const rec = new TicketStore().get(ticketId).steps.find((s) => s.step === 'verified');
      if (rec) return { state: 'verified', at: rec.at, by: rec.by };
    } catch {
      /* a ticket from another bench */
    }
  }
  const job = jobs
    .list()
    .filter((j) => j.kind === 'verify' && ofUnit((j.params as { device?: string; nasDataset?: string } | null) ?? {}))
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
  if (!job) return { state: 'not-verified', at: null, by: null };
  const ok = job.state === 'done' && (job.result as { ok?: boolean } | undefined)?.ok !== false;
  const state = job.state === 'running' || job.state === 'cancelling' ? 'running' : ok ? 'verified' : job.state === 'done' || job.state === 'failed' ? 'failed' : 'not-verified';
  return { state, at: job.endedAt, by: null };
}

function knownTicket(ticketId: string | null): boolean {
  if (!ticketId) return false;
  try {
    new TicketStore().get(ticketId);
    return true;
  } catch {
    return false;
  }
}

/** Every attached unit, its drives grouped by the unit's id; with `nas`, the NAS units on that host too. */
export async function listUnits(opts: { nas?: NasHost } = {}): Promise<{ units: AttachedUnit[]; notes: string[] }> {
  const { enumerate } = await import('../drives/enumerate.ts');
  const listing = await enumerate({});
  const reads: Read[] = [];
  for (const d of listing.drives.filter(looksLikeUnit)) reads.push(await readDrive(d.device));
  const byUnit = new Map<string, UnitOnDrive[]>();
  const notes: string[] = [];
  for (const r of reads) {
    if ('failed' in r) {
      notes.push(`${r.device}: ${r.failed}`);
      continue;
    }
    byUnit.set(r.unit.metadata.unitId, [...(byUnit.get(r.unit.metadata.unitId) ?? []), r.unit]);
  }
  const units: AttachedUnit[] = [];
  for (const members of byUnit.values()) {
    members.sort((a, b) => a.metadata.drive.index - b.metadata.drive.index);
    const md = members[0].metadata;
    const m = members.find((u) => u.manifest)?.manifest ?? null;
    const devices = members.map((u) => u.device);
    const where = { label: md.label, layout: md.layout, devices, drivesExpected: md.drive.count, nas: null };
    const known = (ticketId: string | null) => ({ knownTicket: knownTicket(ticketId), verify: verifyState(ticketId, (j) => devices.includes(String(j.device))) });
    units.push(
      m
        ? unitRow(m, where, known)
        : {
            unitId: md.unitId,
            ...where,
            ticketId: md.ticketId,
            sealed: false,
            problem: 'No sync finished on this unit: it holds no manifest.',
            direction: null,
            applianceSerial: null,
            endedAt: null,
            systems: [],
            ...known(md.ticketId),
          },
    );
  }
  if (opts.nas) {
    // A NAS that does not answer is a note: the attached drives are still listed.
    const onNas = await listNasUnits(opts.nas, (ticketId, dataset) => ({ knownTicket: knownTicket(ticketId), verify: verifyState(ticketId, (j) => j.nasDataset === dataset) })).catch(
      (e) => ({ units: [], notes: [toAppError(e).message] }),
    );
    units.push(...onNas.units);
    notes.push(...onNas.notes);
  }
  return { units, notes };
}

/** The appliance and offsite dataset roots of every site this bench knows, each once. */
export async function listDestinations(): Promise<Array<{ dataset: string; role: 'appliance' | 'offsite'; applianceSerial: string; present: boolean }>> {
  const seen = new Set<string>();
  const out = [];
  for (const s of readRegisteredSites()) {
    for (const role of ['offsite', 'appliance'] as const) {
      const dataset = s[role];
      if (seen.has(dataset)) continue;
      seen.add(dataset);
      out.push({ dataset, role, applianceSerial: s.applianceSerial, present: await datasetExists(dataset).catch(() => false) });
    }
  }
  return out;
}

/**
 * The passphrase against the agent's key record in its newest point on the unit (a read-only
 * clone on a drive's pool; the unit's mounted dataset on a NAS, merge/unit-source.ts):
 * PASSPHRASE_WRONG and KEY_RECORD_DAMAGED are the record's own answers, so a wrong passphrase is
 * never mistaken for a damaged unit. Nothing on the unit or a destination changes.
 */
export async function checkUnitPassphrase(unit: { device?: string; nas?: NasHost; nasDataset?: string }, system: string, passphrase: string): Promise<{ system: string; ok: true }> {
  const session = await openUnitSource(unitRefOf(unit));
  try {
    const s = session.manifest.systems.find((x) => x.system === system);
    if (!s) throw new AppError('BAD_INPUT', `${system} is not on this unit; it holds ${session.manifest.systems.map((x) => x.system).join(', ')}.`);
    if (!s.encrypted) throw new AppError('AGENT_NOT_ENCRYPTED', `${system} is not an encrypted agent: it needs no passphrase.`);
    const text = await session.keyRecord(s);
    if (text === null) {
      throw new AppError('KEY_RECORD_DAMAGED', `The agent's key record (${KEY_RECORD_FILE}) is missing from ${system} on the unit; the passphrase cannot unlock it.`, {
        hint: 'Restore the key record from the appliance or the offsite copy; the passphrase was not tried.',
      });
    }
    const key = await unwrapAgentKey(parseKeyRecord(text), passphrase);
    key.fill(0);
    return { system, ok: true };
  } finally {
    await session.close();
  }
}
