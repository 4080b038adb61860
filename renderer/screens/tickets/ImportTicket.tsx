// Import a ticket from its JSON file (the CLI's export format). The engine validates it; its
// field errors are shown as they come.
import { useRef } from 'react';
import { useRouter } from '../../app/router.ts';
import { actor } from '../../app/session.ts';
import { engine } from '../../app/engine.ts';
import { useAction } from '../../app/use-engine.ts';
import { FieldErrors } from '../../components/FieldErrors.tsx';
import { ErrorNotice } from '../../components/Notice.tsx';

const MAX_BYTES = 8 * 1024 * 1024;

export function ImportTicket() {
  const input = useRef<HTMLInputElement>(null);
  const go = useRouter((s) => s.go);
  const imp = useAction(async (file: File) => {
    if (file.size > MAX_BYTES) throw Object.assign(new Error(`${file.name} is larger than 8 MB: that is not a ticket file.`), { code: 'BAD_INPUT' });
    const text = await file.text();
    const t = await engine.call('tickets.import', { document: text, source: file.name, actor: actor() });
    go({ screen: 'ticket', ticketId: t.id, step: null });
    return t;
  });
  return (
    <>
      <button type="button" onClick={() => input.current?.click()} disabled={imp.busy}>
        Import ticket JSON…
      </button>
      <input
        ref={input}
        type="file"
        accept="application/json,.json"
        className="sr-only"
        aria-label="Ticket JSON file to import"
        tabIndex={-1}
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) void imp.run(f);
        }}
      />
      {imp.error ? (
        <div style={{ flexBasis: '100%' }}>
          <ErrorNotice error={imp.error} title="The ticket could not be imported" />
          <FieldErrors error={imp.error} />
        </div>
      ) : null}
    </>
  );
}
