// `roundtrip ticket ...`: intake, checklist, export/import, notifications and settings from a shell.
import { readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { AppError } from '../../api/errors.ts';
import { formatBytes } from '../../chain/units.ts';
import type { OutboxEntry } from '../../tickets/notify/outbox.ts';
import { STEP_LABEL, STEPS } from '../../tickets/model/lifecycle.ts';
import { RETURN_STATE_LABEL } from '../../tickets/model/return-clock.ts';
import { DIRECTION_LABEL } from '../../tickets/model/ticket-schema.ts';
import type { Ticket } from '../../tickets/model/ticket-view.ts';
import { parseTicketJson } from '../../tickets/model/exchange.ts';
import type { TicketSettingsView as TicketSettings } from '../../tickets/settings.ts';
import type { TicketExport } from '../../tickets/model/exchange.ts';
import type { ReturnClockChange } from '../../tickets/notify/notifications.ts';
import type { FlushReport } from '../../tickets/notify/outbox.ts';
import { commandText } from '../../tickets/model/local-backups-text.ts';
import { addressLines } from '../../tickets/model/data-centers.ts';
import { call } from '../engine-client.ts';
import { flagBool, flagString, type Verb, type VerbArgs, type VerbResult } from '../verb.ts';

const USAGE = `roundtrip ticket <sub-verb> [--json]
  create --file F|-            create a ticket from a request form (JSON)
  show ID                      the ticket, its checklist, fees, packing list and labels
  list [--open] [--direction forward|reverse]
  advance ID STEP [--by NAME] [--at ISO-DATE] [--tracking N] [--bytes SIZE] [--note TEXT]
                               steps: ${STEPS.join(', ')}
  update ID --file F|-         replace the request form (until the sync is recorded)
  export ID [--out F]          the ticket as JSON
  label ID [--packing-slip] [--out F.pdf]
                               the unit label (4x6 in) or the packing slip as PDF
  import F|-                   a request form or an export, validated like create
  outbox [--flush] [--ticket ID]   notifications and their delivery state; --flush retries now
  test-mail ADDRESS            send a test mail through the saved SMTP relay, print its answer
  check-returns                record late/overdue units and queue their notifications
  settings [--smtp-host H --smtp-port P --smtp-secure true|false --smtp-user U --smtp-pass-stdin | --smtp-clear-pass
            --smtp-from ADDR --smtp-timeout-ms MS] [--fee-usb-drive USD] [--fee-nas-unit USD]
           [--local-backups-pause JSON --local-backups-resume JSON | --no-local-backups]
                               JSON: the command as an array, e.g. '["/usr/local/bin/backups","pause"]'`;

function actor(args: VerbArgs): string {
  return flagString(args, 'by') ?? process.env.ROUNDTRIP_USER ?? userInfo().username;
}

async function readInput(args: VerbArgs, path: string | undefined): Promise<{ text: string; source: string }> {
  if (!path) throw new AppError('BAD_INPUT', 'Give the request form file with --file F (or - for standard input).');
  if (path === '-') return { text: await args.readStdin(), source: 'Standard input' };
  try {
    return { text: readFileSync(path, 'utf8'), source: path };
  } catch (e) {
    throw new AppError('NOT_FOUND', `Cannot read ${path}.`, { detail: String(e) });
  }
}

const SIZE_UNITS: Record<string, number> = { '': 1, B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KIB: 1024, MIB: 1024 ** 2, GIB: 1024 ** 3, TIB: 1024 ** 4 };

/** "2.5TB", "300 GB", "1234" (bytes). Decimal units, as fees are sold in TB (R6). */
export function parseSize(s: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]i?B|B)?\s*$/i.exec(s);
  const unit = m ? SIZE_UNITS[(m[2] ?? '').toUpperCase()] : undefined;
  if (!m || unit === undefined) throw new AppError('BAD_INPUT', `"${s}" is not a size; write bytes or a number with a unit, for example 2.5TB or 300GB.`);
  return Math.round(Number(m[1]) * unit);
}

function need(args: VerbArgs, i: number, what: string): string {
  const v = args.positional[i];
  if (!v) throw new AppError('BAD_INPUT', `Give the ${what}. Usage:\n${USAGE}`);
  return v;
}

function day(iso?: string): string {
  return iso ? iso.slice(0, 16).replace('T', ' ') : '';
}

function outboxLine(e: OutboxEntry): string {
  const state = e.status === 'sent' ? `sent ${day(e.sentAt ?? undefined)}` : e.status === 'queued' ? 'queued' : `retrying (attempt ${e.attempts} failed: ${e.lastError}; next try ${day(e.nextAttemptAt)})`;
  return `#${e.id} ${e.kind}${e.ticketId ? ` ticket ${e.ticketId}` : ''} to ${e.recipients.join(',')}: ${state}`;
}

function showText(t: Ticket, notes: OutboxEntry[]): string {
  const r = t.request;
  const fmt = `${r.format.filesystem.toUpperCase()} ${r.format.layout}${r.format.imageFormat ? ` (${r.format.imageFormat.toUpperCase()})` : ''}`;
  const sel = (s: (typeof r.systems)[number]) =>
    s.points.kind === 'range' ? `${s.points.from}..${s.points.to}` : s.points.kind === 'one' ? `@${s.points.point}` : s.points.kind;
  const lines = [
    `Ticket ${t.id}: ${DIRECTION_LABEL[r.direction]}, ${fmt}${r.disasterRecovery ? ', DISASTER RECOVERY (fees waived)' : ''}`,
    `Partner: ${t.packing.unitLabel.partner}    Appliance serial (PO number): ${r.applianceSerial}`,
    `Contact: ${r.contact.name} <${r.contact.email}>${r.contact.phone ? ` ${r.contact.phone}` : ''}`,
    `Systems: ${r.systems.map((s) => `${s.name} (${sel(s)})`).join(', ')}`,
    `Source: ${r.source.location}${r.source.host ? ` ${r.source.host}` : ''}${r.source.estimatedBytes !== undefined ? `, about ${formatBytes(r.source.estimatedBytes)}` : ''}`,
    `Unit: ${r.unit.kind} provided by ${r.unit.providedBy}${r.unit.inboundTracking ? `, inbound tracking ${r.unit.inboundTracking}` : ''}`,
    ...(t.packing.inboundAddress ? [`Partner ships its unit to: ${t.packing.inboundAddress.city} data center (${t.packing.inboundAddress.regionName})`] : []),
    `Ship to: ${t.packing.shipTo.join(', ')}`,
    `Notify: ${r.notifyEmails || '(nobody)'}`,
    ...(r.instructions ? [`Instructions: ${r.instructions}`] : []),
    '',
    'Checklist:',
  ];
  for (const s of STEPS) {
    const done = t.steps.find((x) => x.step === s);
    if (done) {
      const extra = [done.trackingNumber ? `tracking ${done.trackingNumber}` : '', done.bytes !== undefined ? formatBytes(done.bytes) : '', done.note ?? ''].filter(Boolean).join(', ');
      lines.push(`  [x] ${STEP_LABEL[s]}: ${done.by}, ${day(done.at)}${extra ? ` (${extra})` : ''}`);
    } else if (!t.closed) {
      lines.push(`  [ ] ${STEP_LABEL[s]}${t.nextSteps.includes(s) ? '   <- next' : ''}`);
    }
  }
  const c = t.returnClock;
  lines.push(
    '',
    `Return: ${RETURN_STATE_LABEL[c.state]}${c.deliveredAt ? ` (delivered ${day(c.deliveredAt)}, day ${c.daysOut}; due by ${day(c.dueBy)}, late after ${day(c.lateAfter)}, replacement fee after ${day(c.overdueAfter)})` : ''}`,
    `Fees: sync $${t.fees.sync.usd} (${t.fees.sync.explanation}); replacement $${t.fees.replacement.usd} (${t.fees.replacement.reason}); total $${t.fees.totalUsd}`,
    '',
    'Packing checklist:',
    ...t.packing.items.map((i) => `  [${t.steps.some((s) => s.step === 'packed' && s.items?.includes(i.id)) ? 'x' : ' '}] ${i.label}`),
    `Unit label: ticket ${t.packing.unitLabel.ticketNumber}, ${t.packing.unitLabel.partner}`,
    `Return label: ticket ${t.packing.returnLabel.ticketNumber}, ${t.packing.returnLabel.partner}, PO ${t.packing.returnLabel.poNumber}, ${t.packing.returnLabel.service}, to ${t.packing.returnLabel.returnAddressLines.join(', ')}${t.packing.returnLabel.placeholderAddress ? ' [PLACEHOLDER ADDRESS]' : ''}`,
  );
  if (notes.length) lines.push('', 'Notifications:', ...notes.map((n) => `  ${outboxLine(n)}`));
  return lines.join('\n');
}

const asTicket = (t: unknown) => t as Ticket;

function listLine(t: Ticket): string {
  const r = t.request;
  const state = t.closed ? t.current : `${t.current ?? 'new'} -> ${t.nextSteps.join('|')}`;
  const clock = ['not-applicable', 'not-delivered'].includes(t.returnClock.state) ? '' : `  return: ${t.returnClock.state}`;
  return `${t.id.padEnd(11)} ${DIRECTION_LABEL[r.direction].padEnd(17)} ${`${r.format.filesystem}/${r.format.layout}`.padEnd(15)} ${state}${clock}  $${t.fees.totalUsd}`;
}

/** A command given on the command line as a JSON array; the engine checks its parts. */
function commandArray(text: string, flag: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('BAD_INPUT', `--${flag} takes the command as a JSON array, for example '["/usr/local/bin/backups","pause"]'.`);
  }
}

async function settings(args: VerbArgs): Promise<VerbResult> {
  const cur = (await call('tickets.settings', {})) as unknown as TicketSettings;
  const patch: Record<string, unknown> = {};
  const smtpFlags = ['smtp-host', 'smtp-port', 'smtp-secure', 'smtp-user', 'smtp-pass-stdin', 'smtp-clear-pass', 'smtp-from', 'smtp-timeout-ms'];
  if (smtpFlags.some((f) => args.flags[f] !== undefined)) {
    // The password is never sent back: the engine keeps the held one unless a new one comes. What
    // the answer says about it (set, where) is no part of a patch.
    const { passSet: _set, passStore: _store, passNote: _note, ...base } = cur.smtp ?? { host: '', port: 587, secure: false, from: '', passSet: false, passStore: 'memory', passNote: '' };
    const port = flagString(args, 'smtp-port');
    const timeout = flagString(args, 'smtp-timeout-ms');
    const secure = args.flags['smtp-secure'];
    patch.smtp = {
      ...base,
      ...(flagString(args, 'smtp-host') !== undefined ? { host: flagString(args, 'smtp-host') } : {}),
      ...(port !== undefined ? { port: Number(port) } : {}),
      ...(secure !== undefined ? { secure: secure === true || secure === 'true' } : {}),
      ...(flagString(args, 'smtp-user') !== undefined ? { user: flagString(args, 'smtp-user') } : {}),
      // The password only ever comes from standard input, so it is not in shell history or ps.
      ...(flagBool(args, 'smtp-pass-stdin') ? { pass: (await args.readStdin()).replace(/\r?\n$/, '') } : flagBool(args, 'smtp-clear-pass') ? { pass: null } : {}),
      ...(flagString(args, 'smtp-from') !== undefined ? { from: flagString(args, 'smtp-from') } : {}),
      ...(timeout !== undefined ? { timeoutMs: Number(timeout) } : {}),
    };
  }
  const fees: Record<string, number> = {};
  for (const kind of ['usb-drive', 'nas-unit']) {
    const v = flagString(args, `fee-${kind}`);
    if (v !== undefined) fees[kind] = Number(v);
  }
  if (Object.keys(fees).length) patch.replacementFeesUsd = fees;
  const pause = flagString(args, 'local-backups-pause');
  const resume = flagString(args, 'local-backups-resume');
  if (flagBool(args, 'no-local-backups')) patch.localBackups = null;
  else if (pause !== undefined || resume !== undefined) {
    if (pause === undefined || resume === undefined) throw new AppError('BAD_INPUT', 'Give both --local-backups-pause and --local-backups-resume: a pause without its resume would leave the backups paused.');
    patch.localBackups = { pause: commandArray(pause, 'local-backups-pause'), resume: commandArray(resume, 'local-backups-resume') };
  }
  // The engine answers with the password redacted; `cur` is only a base for flags left out.
  const shown = Object.keys(patch).length ? ((await call('tickets.settings', { patch: patch as never, actor: actor(args) })) as unknown as TicketSettings) : cur;
  const s = shown.smtp;
  return {
    json: shown,
    human: [
      s ? `SMTP: ${s.host}:${s.port}${s.secure ? ' (TLS)' : ''}, from ${s.from}${s.user ? `, user ${s.user}, password ${s.passSet ? 'set' : '(none)'}` : ''}; ${s.passNote}` : 'SMTP: not configured (notifications wait in the outbox)',
      `Replacement fees: ${Object.entries(shown.replacementFeesUsd).map(([k, v]) => `${k} $${v}`).join(', ')}`,
      shown.localBackups
        ? `Local backups during a sync: pause with ${commandText(shown.localBackups.pause)}, resume with ${commandText(shown.localBackups.resume)}`
        : 'Local backups during a sync: no pause command configured (the appliance keeps taking them)',
      `Bench: ${shown.bench?.name || '(no name set)'}; technicians: ${shown.bench?.technicians.length ? shown.bench.technicians.join(', ') : '(none set)'}`,
      ...(shown.dataCenters ?? []).map((dc) => `${dc.regionName} data center: ${addressLines(dc).join(', ')}${dc.placeholder ? ' [PLACEHOLDER ADDRESS]' : ''}`),
    ].join('\n'),
  };
}

export const verb: Verb = {
  name: 'ticket',
  summary: 'create, show, list, advance, export and import tickets',
  usage: USAGE,
  async run(args) {
    const sub = args.positional[0];
    switch (sub) {
      case 'create': {
        const { text, source } = await readInput(args, flagString(args, 'file') ?? args.positional[1]);
        const t = asTicket(await call('tickets.create', { request: parseTicketJson(text, source) as Record<string, unknown>, actor: actor(args) }));
        return { json: t, human: `Created ticket ${t.id} (${DIRECTION_LABEL[t.request.direction]}). Next: ${t.nextSteps.join(' or ')}.` };
      }
      case 'import': {
        const { text, source } = await readInput(args, args.positional[1] ?? flagString(args, 'file'));
        const t = asTicket(await call('tickets.import', { document: text, source, actor: actor(args) }));
        return { json: t, human: `Imported ticket ${t.id} (${DIRECTION_LABEL[t.request.direction]}). Next: ${t.nextSteps.join(' or ')}.` };
      }
      case 'update': {
        const id = need(args, 1, 'ticket number');
        const { text, source } = await readInput(args, flagString(args, 'file'));
        const t = asTicket(await call('tickets.update', { ticketId: id, request: parseTicketJson(text, source) as Record<string, unknown>, actor: actor(args) }));
        return { json: t, human: `Updated ticket ${t.id}.` };
      }
      case 'show': {
        const t = (await call('tickets.get', { ticketId: need(args, 1, 'ticket number') })) as unknown as Ticket & { notifications: OutboxEntry[] };
        return { json: t, human: showText(t, t.notifications) };
      }
      case 'list': {
        const dir = flagString(args, 'direction');
        if (dir !== undefined && dir !== 'forward' && dir !== 'reverse') throw new AppError('BAD_INPUT', '--direction is forward or reverse.');
        const ts = (await call('tickets.list', { open: flagBool(args, 'open'), ...(dir ? { direction: dir } : {}) })) as unknown as Ticket[];
        return { json: ts, human: ts.length ? ts.map(listLine).join('\n') : 'No tickets.' };
      }
      case 'advance': {
        const id = need(args, 1, 'ticket number');
        const step = need(args, 2, `step (${STEPS.join(', ')})`);
        const bytes = flagString(args, 'bytes');
        const opt = (k: string, v: string | number | undefined) => (v === undefined ? {} : { [k]: v });
        const t = asTicket(
          await call('tickets.advance', {
            ticketId: id,
            step,
            actor: actor(args),
            ...opt('at', flagString(args, 'at')),
            ...opt('trackingNumber', flagString(args, 'tracking')),
            ...opt('bytes', bytes === undefined ? undefined : parseSize(bytes)),
            ...opt('note', flagString(args, 'note')),
          }),
        );
        const last = t.steps[t.steps.length - 1];
        return {
          json: t,
          human: `Ticket ${t.id}: ${STEP_LABEL[last.step]} (${last.by}, ${day(last.at)}). ${t.closed ? 'The ticket is closed.' : `Next: ${t.nextSteps.join(' or ')}.`} Fees: $${t.fees.totalUsd}.`,
        };
      }
      case 'export': {
        const doc = (await call('tickets.export', { ticketId: need(args, 1, 'ticket number') })) as unknown as TicketExport;
        const out = flagString(args, 'out');
        const text = JSON.stringify(doc, null, 2) + '\n';
        if (out) writeFileSync(out, text);
        return { json: doc, human: out ? `Wrote ticket ${doc.request.ticketNumber} to ${out}.` : text };
      }
      case 'label': {
        const kind = flagBool(args, 'packing-slip') ? 'packing-slip' : 'label';
        const p = await call('tickets.print', { ticketId: need(args, 1, 'ticket number'), kind });
        const out = flagString(args, 'out') ?? p.fileName;
        const bytes = Buffer.from(p.base64, 'base64');
        try {
          writeFileSync(out, bytes);
        } catch (e) {
          throw new AppError('BAD_INPUT', `Cannot write ${out}.`, { detail: String(e), hint: 'Give a writable file with --out F.pdf.' });
        }
        return { json: { file: out, fileName: p.fileName, kind, mediaType: p.mediaType, bytes: bytes.length }, human: `Wrote the ${kind === 'label' ? 'unit label' : 'packing slip'} to ${out}.` };
      }
      case 'outbox': {
        const ticketId = flagString(args, 'ticket');
        const { flush: report, entries } = (await call('tickets.outbox', { ...(ticketId ? { ticketId } : {}), flush: flagBool(args, 'flush') })) as unknown as { flush?: FlushReport; entries: OutboxEntry[] };
        const head = report ? `Tried ${report.tried}: ${report.sent} sent, ${report.failed.length} failed.\n` : '';
        return {
          json: { ...(report ? { flush: report } : {}), entries },
          human: head + (entries.length ? entries.map(outboxLine).join('\n') : 'No notifications.'),
          exitCode: report && report.failed.length ? 1 : 0,
        };
      }
      case 'check-returns': {
        const { changes, flush: report } = (await call('tickets.checkReturns', {})) as unknown as { changes: ReturnClockChange[]; flush?: FlushReport };
        return {
          json: { changes, ...(report ? { flush: report } : {}) },
          human: changes.length ? changes.map((c) => `${c.ticketId}: ${c.from} -> ${c.to}${c.notification ? ` (notification #${c.notification.id} queued)` : ''}`).join('\n') : 'No return-clock changes.',
        };
      }
      case 'settings':
        return settings(args);
      case 'test-mail': {
        const to = args.positional[1];
        if (!to) throw new AppError('BAD_INPUT', 'Say where the test mail goes: roundtrip ticket test-mail ADDRESS.');
        const r = (await call('tickets.testMail', { to, actor: actor(args) })) as { relay: string; response: string };
        return { json: r, human: `The relay ${r.relay} accepted the test mail to ${to}: ${r.response}` };
      }
      default:
        throw new AppError('BAD_INPUT', `${sub ? `"${sub}" is not a ticket sub-verb. ` : ''}Usage:\n${USAGE}`);
    }
  },
};
