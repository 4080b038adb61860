// The engine's per-field errors (TICKET_INVALID's data.fields) as a list, for a form that has no
// field of that name to put them next to (an import, a field the form does not show).
import type { EngineError } from '../api/client.ts';

export interface FieldIssue {
  field: string;
  message: string;
}

export function fieldIssues(error: EngineError | null | undefined): FieldIssue[] {
  const fields = (error?.data as { fields?: unknown } | undefined)?.fields;
  if (!Array.isArray(fields)) return [];
  return fields.filter((f): f is FieldIssue => typeof f?.field === 'string' && typeof f?.message === 'string');
}

export function FieldErrors({ error }: { error: EngineError | null | undefined }) {
  const issues = fieldIssues(error);
  if (!issues.length) return null;
  return (
    <ul aria-label="Problems in the ticket">
      {issues.map((i) => (
        <li key={i.field + i.message}>
          <code>{i.field || '(the ticket)'}</code>: <span className="user-text">{i.message}</span>
        </li>
      ))}
    </ul>
  );
}
