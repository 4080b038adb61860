// The engine's method implementations, keyed by contract name. Each takes the request as the
// contract validated it and returns what the contract's result schema says. Long operations go
// through the job registry; everything here answers within seconds.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../api/errors.ts';
import type { MethodName, MethodRequest } from '../api/contract.ts';
import { TicketStore } from '../tickets/store.ts';
import type { TicketInput } from '../tickets/model/ticket-schema.ts';
import { jobs } from './jobs/registry.ts';
import { publish } from './events.ts';
import { sitesOf } from './sites.ts';
import { expandPassphrases } from './passphrases.ts';
import { hostName } from './host.ts';

type Handlers = { [M in MethodName]: (req: MethodRequest<M>) => Promise<unknown> };

const actorOf = (a: string | undefined) => a ?? 'engine';

/** A ticket on this bench, or a request form or ticket export validated as the ticket model does. */
async function ticketOrRequest(req: { ticketId?: string; request?: Record<string, unknown> }): Promise<{ id: string | null; request: TicketInput }> {
  if (req.ticketId !== undefined) {
    const t = new TicketStore().get(req.ticketId);
    return { id: t.id, request: t.request };
  }
  const { requestFromImport } = await import('../tickets/model/exchange.ts');
  const { validateTicketInput } = await import('../tickets/model/validate.ts');
  const raw = (req.request as { kind?: unknown }).kind !== undefined ? requestFromImport(req.request) : req.request;
  return { id: null, request: validateTicketInput(raw) };
}

function changed<T extends { id: string }>(t: T, reason: string): T {
  publish('ticket.changed', { ticketId: t.id, reason });
  return t;
}

export const handlers: Handlers = {
  // --- the engine and the lab
  'engine.ping': async () => ({ pong: true, pid: process.pid }),
  'engine.info': async () => {
    const { probeZfs } = await import('../system/zfs/probe.ts');
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    return { version: pkg.version, host: hostName(), pid: process.pid, root: process.getuid?.() === 0, zfs: await probeZfs() };
  },
  'zfs.probe': async () => (await import('../system/zfs/probe.ts')).probeZfs(),
  'lab.status': async (req) => (await import('../lab/status.ts')).labStatus({ dir: req.dir }),

  // --- drives and NAS units
  'drives.list': async (req) =>
    (await import('../drives/enumerate.ts')).enumerate({
      includeLoops: req.includeLoops,
      options: { unmount: req.unmount, confirmInternal: req.confirmInternal, confirmData: req.confirmData },
    }),
  'drives.erasePreview': async (req) => (await import('../drives/format.ts')).formatDrives({ ...req, yes: false }),
  'drives.eject': async (req) => ({ drives: await (await import('../drives/eject.ts')).eject(req.devices, { actor: req.actor }) }),
  'nas.pools': async (req) => {
    const { listNasPools, probeNas } = await import('../drives/nas.ts');
    const { hostname } = await probeNas(req.nas);
    return { host: req.nas.host, port: req.nas.port ?? 22, hostname, pools: await listNasPools(req.nas) };
  },

  // --- tickets
  'tickets.create': async (req) => changed(new TicketStore().create(req.request, actorOf(req.actor)), 'created'),
  'tickets.import': async (req) => {
    const store = new TicketStore();
    const doc = typeof req.document === 'string' ? req.document : JSON.stringify(req.document);
    return changed(store.importTicket(doc, actorOf(req.actor), req.source), 'imported');
  },
  'tickets.update': async (req) => changed(new TicketStore().update(req.ticketId, req.request, actorOf(req.actor)), 'updated'),
  'tickets.get': async (req) => {
    const t = new TicketStore().get(req.ticketId);
    const { listOutbox } = await import('../tickets/notify/outbox.ts');
    return { ...t, notifications: listOutbox({ ticketId: t.id }) };
  },
  'tickets.list': async (req) => new TicketStore().list({ open: req.open, direction: req.direction }),
  'tickets.advance': async (req) =>
    changed(
      new TicketStore().advance(req.ticketId, req.step, { by: actorOf(req.actor), at: req.at, trackingNumber: req.trackingNumber, bytes: req.bytes, items: req.items, note: req.note }),
      `step ${req.step}`,
    ),
  'tickets.print': async (req) => {
    const t = new TicketStore().get(req.ticketId);
    const { printTicket } = await import('../tickets/print/ticket-print.ts');
    const p = await printTicket(t, req.kind);
    return { fileName: p.fileName, mediaType: p.mediaType, base64: p.bytes.toString('base64') };
  },
  'tickets.export': async (req) => new TicketStore().exportTicket(req.ticketId),
  'tickets.outbox': async (req) => {
    const { flushOutbox, listOutbox } = await import('../tickets/notify/outbox.ts');
    const flush = req.flush ? await flushOutbox({ force: true }) : undefined;
    const entries = listOutbox({ ticketId: req.ticketId ? TicketStore.idOf(req.ticketId) : undefined });
    return { ...(flush ? { flush } : {}), entries };
  },
  'tickets.checkReturns': async () => {
    const { checkReturnClocks } = await import('../tickets/notify/notifications.ts');
    const { flushOutbox } = await import('../tickets/notify/outbox.ts');
    const changes = checkReturnClocks(new Date(), { flush: false });
    for (const c of changes) publish('ticket.changed', { ticketId: c.ticketId, reason: `return ${c.to}` });
    const flush = changes.some((c) => c.notification) ? await flushOutbox() : undefined;
    return { changes, ...(flush ? { flush } : {}) };
  },
  'tickets.settings': async (req) => {
    const { saveTicketSettings, ticketSettingsView } = await import('../tickets/settings.ts');
    const patch = req.patch;
    if (!patch || !Object.keys(patch).length) return ticketSettingsView();
    // A client never sees the SMTP password: an SMTP change without one keeps the held one.
    return saveTicketSettings(patch, actorOf(req.actor));
  },
  'tickets.testMail': async (req) => (await import('../tickets/notify/test-mail.ts')).sendTestMail(req.to, actorOf(req.actor)),
  'audit.verify': async () => (await import('../tickets/audit.ts')).verifyAudit(),
  'audit.list': async (req) =>
    (await import('../tickets/audit.ts')).listAudit({ ticketId: req.ticketId ? TicketStore.idOf(req.ticketId) : undefined, action: req.action, limit: req.limit }),

  // --- plans
  'plan.forTicket': async (req) => {
    const { planForTicket } = await import('../jobs/plan-for-ticket.ts');
    const { id, request } = await ticketOrRequest(req);
    const sites = await sitesOf(req.sites, request.applianceSerial);
    // Encrypted agents' passphrases (NTFS/EXT4/image tickets) measure their copies exactly; memory only.
    let passphrases: Record<string, string> | undefined;
    if (req.passphrases) {
      const { listProtectedSystems } = await import('../appliance/inventory.ts');
      passphrases = expandPassphrases(req.passphrases, (await listProtectedSystems(sites.appliance)).filter((x) => x.encrypted).map((x) => x.name));
    }
    const plan = await planForTicket(request, sites, { drives: req.drives ?? [], lockOverrides: req.locks, exact: !req.estimate, passphrases, retention: req.retention });
    const { getTicketSettings } = await import('../tickets/settings.ts');
    const { localBackupsPlanSentence } = await import('../tickets/model/local-backups-text.ts');
    const commands = getTicketSettings().localBackups;
    const pause = req.pauseLocalBackups !== false;
    const localBackups = { configured: commands !== null, pause: pause && commands !== null, sentence: localBackupsPlanSentence(commands, pause) };
    // A ticket whose unit is a NAS is written to the NAS whatever its size says (the sync checks the
    // choice against the NAS then), so the plan offers what a NAS unit can get.
    const protection = await (await import('./unit-protection.ts')).protectionOf(request, request.unit.kind === 'nas-unit' ? 'nas' : plan.media);
    return { ticketId: id ?? request.ticketNumber, ...plan, localBackups, protection };
  },
  'plan.points': async (req) => {
    const { pointPickerFor } = await import('../jobs/point-picker.ts');
    const { id, request } = await ticketOrRequest(req);
    const picker = await pointPickerFor(request, await sitesOf(req.sites, request.applianceSerial), req.locks);
    return { ticketId: id ?? request.ticketNumber, ...picker };
  },
  'plan.fileSync': async (req) => {
    const { fileSyncRequestFor, previewFileSync } = await import('../jobs/files/from-ticket.ts');
    const t = new TicketStore().get(req.ticketId);
    if (t.request.format.layout === 'datasets') throw new AppError('BAD_INPUT', `Ticket ${t.id} is a ZFS ticket: its plan is plan.forTicket.`);
    const sites = await sitesOf(req.sites, t.request.applianceSerial);
    return previewFileSync(await fileSyncRequestFor(t.id, t.request, sites, req.drives, {}));
  },

  // --- units
  'units.inspect': async (req) => {
    const u = await (await import('../jobs/unit.ts')).openUnit(req.device);
    return { device: u.device, metadata: u.metadata, manifest: u.manifest };
  },
  'guards.list': async (req) => {
    const { ticketGuards } = await import('../jobs/zfs/guards.ts');
    const { syncJobId } = await import('../jobs/zfs/sync.ts');
    return { ticketId: req.ticketId, guards: ticketGuards(syncJobId(req.ticketId)) };
  },
  'guards.release': async (req) => {
    const { releaseTicketGuards } = await import('../jobs/zfs/guards.ts');
    const { syncJobId } = await import('../jobs/zfs/sync.ts');
    return { ticketId: req.ticketId, ...(await releaseTicketGuards(req.ticketId, syncJobId(req.ticketId))) };
  },
  'merge.preview': async (req) => {
    const { previewMerge } = await import('../merge/merge.ts');
    const systems = await previewMerge({ device: req.device, nas: req.nas, nasDataset: req.nasDataset, unitPassphrase: req.unitPassphrase, into: req.into, allowRollback: req.allowRollback ?? [], systems: req.systems ?? [] });
    return { dryRun: true, destination: req.into, systems };
  },
  'reports.kept': async (req) => {
    const job = jobs.get(req.jobId);
    const files = (job.result as { files?: { html?: string; pdf?: string } } | undefined)?.files;
    const path = job.kind === 'verify-kept' ? files?.[req.format] : undefined;
    if (!path) throw new AppError('NOT_FOUND', `Job ${req.jobId} has no kept-unit report${job.kind === 'verify-kept' ? ' yet' : ''}.`);
    return {
      fileName: path.split('/').pop()!,
      mediaType: req.format === 'html' ? 'text/html' : 'application/pdf',
      base64: readFileSync(path).toString('base64'),
    };
  },

  'units.list': async (req) => (await import('./unit-methods.ts')).listUnits(req),
  'sites.list': async () => ({ destinations: await (await import('./unit-methods.ts')).listDestinations() }),
  'units.sealedPassphrase': async (req) => (await import('./unit-passphrases.ts')).sealedPassphraseView(req.jobId),
  'units.passphrasePassedOn': async (req) => (await import('./unit-passphrases.ts')).passUnitPassphraseOn(req.jobId, req.actor ?? 'engine'),
  'units.checkPassphrase': async (req) => (await import('./unit-methods.ts')).checkUnitPassphrase(req, req.system, req.passphrase),

  // --- jobs
  'jobs.start': async (req) => jobs.start(req),
  'jobs.list': async (req) => jobs.list(req),
  'jobs.get': async (req) => jobs.get(req.jobId),
  'jobs.cancel': async (req) => jobs.cancel(req.jobId),
  'jobs.resume': async (req) => jobs.resume(req.jobId, { passphrases: req.passphrases, passphrase: req.passphrase, unitPassphrase: req.unitPassphrase }),
};
