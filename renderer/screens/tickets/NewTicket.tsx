// A new ticket: the intake form, sent to the engine with tickets.create.
import { engine } from '../../app/engine.ts';
import { routeHref, useRouter } from '../../app/router.ts';
import { actor } from '../../app/session.ts';
import { TicketForm } from '../ticket/form/TicketForm.tsx';
import { emptyForm } from '../ticket/form/ticket-form-model.ts';

export function NewTicket() {
  const go = useRouter((s) => s.go);
  return (
    <>
      <div className="page-head">
        <div>
          <a href={routeHref({ screen: 'tickets' })}>← Tickets</a>
          <h1>New ticket</h1>
        </div>
      </div>
      <div className="card">
        <TicketForm
          initial={emptyForm()}
          submitLabel="Create the ticket"
          onSubmit={async (request) => {
            const t = await engine.call('tickets.create', { request, actor: actor() });
            go({ screen: 'ticket', ticketId: t.id, step: 'checklist' });
          }}
        />
      </div>
    </>
  );
}
