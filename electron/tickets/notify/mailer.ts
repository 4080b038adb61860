// Sends one e-mail through the configured SMTP relay. Short timeouts: a dead relay should fail an
// attempt in seconds so the outbox can schedule a retry, not hang a worker.
import nodemailer from 'nodemailer';
import type { SmtpSettings } from '../model/settings-schema.ts';

export interface MailMessage {
  to: string[];
  subject: string;
  text: string;
}

/** `rejected`: recipients the relay refused while it accepted the others (the message is not retried for them). */
/** `response`: the relay's last reply line ("250 OK: queued as ..."), for the settings screen's test mail. */
/** The relay with its password, which comes from the secret holder (smtp-secret.ts), never the database. */
export type SmtpLogin = SmtpSettings & { pass?: string };

export type SendMail = (smtp: SmtpLogin, msg: MailMessage) => Promise<{ messageId: string; rejected: string[]; accepted?: string[]; response?: string }>;

export const DEFAULT_SMTP_TIMEOUT_MS = 15_000;

export const sendMail: SendMail = async (smtp, msg) => {
  const t = smtp.timeoutMs ?? DEFAULT_SMTP_TIMEOUT_MS;
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    auth: smtp.user ? { user: smtp.user, pass: smtp.pass ?? '' } : undefined,
    connectionTimeout: t,
    greetingTimeout: t,
    socketTimeout: t,
  });
  try {
    const info = await transport.sendMail({ from: smtp.from, to: msg.to.join(','), subject: msg.subject, text: msg.text });
    const address = (r: string | { address: string }) => (typeof r === 'string' ? r : r.address);
    const rejected = (info.rejected ?? []).map(address);
    return { messageId: String(info.messageId), rejected, accepted: (info.accepted ?? []).map(address), response: String(info.response ?? '') };
  } finally {
    transport.close();
  }
};
