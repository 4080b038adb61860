// "Send a test mail" from the settings screen: one message through the saved relay, and the
// relay's answer in words. A refusal becomes NOTIFY_FAILED with a sentence that says which part
// failed (nothing listens, the login, the sender or recipient, a timeout, TLS), and the relay's own
// reply line as evidence. The password is never part of any of it.
import { AppError } from '../../api/errors.ts';
import { logLine } from '../../system/log.ts';
import { appendAuditIn, anchorAudit } from '../audit.ts';
import { openTicketDb, writeTx, type Db } from '../db.ts';
import { getTicketSettings } from '../settings.ts';
import { sendMail as realSendMail, type SendMail } from './mailer.ts';
import { passNotSetSentence, smtpPassword } from './smtp-secret.ts';

export interface TestMailResult {
  to: string;
  /** host:port of the relay that answered. */
  relay: string;
  messageId: string;
  /** The relay's reply to the message, e.g. "250 OK: message queued". */
  response: string;
  accepted: string[];
  rejected: string[];
}

interface MailerError {
  code?: string;
  response?: string;
  responseCode?: number;
  message?: string;
}

/** What went wrong, for a technician; `relay` is host:port. */
export function testMailSentence(e: MailerError, relay: string, to: string): string {
  const reply = e.response ? ` It answered: "${e.response.split('\n')[0].slice(0, 200)}".` : '';
  const msg = e.message ?? '';
  if (e.code === 'EAUTH') return `The SMTP relay ${relay} refused the user name or password.${reply}`;
  if (e.code === 'EENVELOPE') return `The SMTP relay ${relay} refused the sender or the recipient ${to}.${reply}`;
  if (e.code === 'EDNS' || /ENOTFOUND|EAI_AGAIN/.test(msg)) return `The SMTP relay's host name in ${relay} could not be found.`;
  if (/ECONNREFUSED/.test(msg)) return `Nothing answers at ${relay}: the relay refused the connection. Check the host and port.`;
  if (e.code === 'ETIMEDOUT' || /timeout/i.test(msg)) return `The SMTP relay ${relay} did not answer in time. Check the host, the port and the TLS setting.`;
  if (e.code === 'ETLS' || /ssl|tls|wrong version number/i.test(msg)) return `The TLS handshake with the SMTP relay ${relay} failed. Check the TLS setting (on for port 465, off for 587 and 25).`;
  if (e.responseCode && e.responseCode >= 400) return `The SMTP relay ${relay} refused the message.${reply}`;
  return `The test mail through ${relay} failed: ${msg.split('\n')[0].slice(0, 200) || 'no reason given'}.`;
}

export async function sendTestMail(to: string, actor: string, opts: { db?: Db; sendMail?: SendMail; now?: () => Date } = {}): Promise<TestMailResult> {
  const db = opts.db ?? openTicketDb();
  const now = opts.now ?? (() => new Date());
  const address = to.trim();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address)) {
    throw new AppError('BAD_INPUT', `"${address.slice(0, 80)}" is not an e-mail address.`, { data: { fields: [{ field: 'to', message: 'An e-mail address, like name@example.com.' }] } });
  }
  const { smtp: saved, bench } = getTicketSettings(db);
  if (!saved) throw new AppError('NOTIFY_FAILED', 'No SMTP relay is saved yet: fill in the relay and save it, then send the test mail.');
  const pass = saved.user ? await smtpPassword(db) : undefined;
  // A relay with a user name and no password is not tried blindly (a login with an empty password).
  if (saved.user && pass === undefined) throw new AppError('NOTIFY_FAILED', passNotSetSentence(), { data: { relay: `${saved.host}:${saved.port}`, passSet: false } });
  const smtp = { ...saved, ...(pass !== undefined ? { pass } : {}) };
  const relay = `${smtp.host}:${smtp.port}`;
  const benchName = bench.name || 'RoundTrip Bench';
  const audit = (details: Record<string, unknown>) => {
    writeTx(db, () => appendAuditIn(db, { actor, action: 'settings.test-mail', details: { to: address, relay, ...details } }, now()));
    anchorAudit(db);
  };
  try {
    const r = await (opts.sendMail ?? realSendMail)(smtp, {
      to: [address],
      subject: `${benchName}: test mail`,
      text: `This is a test mail from ${benchName}, sent from its settings screen by ${actor}, through the relay ${relay}.\nNotifications about tickets will come the same way.\n`,
    });
    if (r.rejected.includes(address)) throw Object.assign(new Error('recipient rejected'), { code: 'EENVELOPE' });
    const result = { to: address, relay, messageId: r.messageId, response: r.response ?? '', accepted: r.accepted ?? [address], rejected: r.rejected };
    audit({ ok: true, response: result.response });
    return result;
  } catch (err) {
    const e = (err ?? {}) as MailerError;
    const sentence = testMailSentence(e, relay, address);
    logLine('notify', { during: 'test-mail', relay, code: e.code, responseCode: e.responseCode, error: sentence });
    audit({ ok: false, error: sentence });
    throw new AppError('NOTIFY_FAILED', sentence, { data: { relay, ...(e.response ? { response: e.response.split('\n')[0].slice(0, 200) } : {}), ...(e.code ? { mailerCode: e.code } : {}) } });
  }
}
