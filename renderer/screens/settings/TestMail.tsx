// "Send a test mail": one message through the saved relay (tickets.testMail), and the relay's
// own answer, or the engine's sentence for what refused it.
import { useState, type FormEvent } from 'react';
import type { MethodResult } from '../../../electron/api/contract.ts';
import { engine } from '../../app/engine.ts';
import { actor } from '../../app/session.ts';
import { useAction } from '../../app/use-engine.ts';
import { Field } from '../../components/Field.tsx';
import { fieldIssues } from '../../components/FieldErrors.tsx';
import { ErrorNotice, Notice } from '../../components/Notice.tsx';

export function TestMail({ saved }: { saved: boolean }) {
  const [to, setTo] = useState('');
  const [answer, setAnswer] = useState<MethodResult<'tickets.testMail'> | null>(null);
  const send = useAction((address: string) => engine.call('tickets.testMail', { to: address, actor: actor() }));
  const toErrors = fieldIssues(send.error)
    .filter((i) => i.field === 'to')
    .map((i) => i.message);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setAnswer(null);
    const r = await send.run(to.trim());
    if (r) setAnswer(r);
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Send a test mail" className="stack">
      <h3>Send a test mail</h3>
      <p className="muted">Goes through the saved relay settings: save a change first.</p>
      <div className="row" style={{ alignItems: 'flex-end' }}>
        <Field name="testmail.to" label="Send a test mail to" errors={toErrors}>
          <input type="email" value={to} onChange={(e) => setTo(e.target.value)} autoComplete="email" />
        </Field>
        <button type="submit" disabled={send.busy || !saved} aria-busy={send.busy || undefined}>
          {send.busy ? 'Sending…' : 'Send a test mail'}
        </button>
      </div>
      {!saved ? <p className="hint">No relay is saved yet.</p> : null}
      <ErrorNotice error={send.error} title="The test mail was not sent" />
      {answer ? (
        <Notice kind="ok" title="The relay accepted the test mail">
          <span className="user-text">
            {answer.relay} answered for {answer.to}: <code>{answer.response || '(no reply text)'}</code>
          </span>
        </Notice>
      ) : null}
    </form>
  );
}
