// The configured technicians as a datalist, so the top bar's name field offers them (typing any
// other name still works: the list is a help, not a rule).
import { useEffect } from 'react';
import { useBenchNames } from './bench-names.ts';

export const TECHNICIANS_LIST_ID = 'rt-technicians';

export function TechnicianOptions() {
  const names = useBenchNames((s) => s.technicians);
  const load = useBenchNames((s) => s.load);
  useEffect(() => load(), [load]);
  return (
    <datalist id={TECHNICIANS_LIST_ID}>
      {names.map((n) => (
        <option key={n} value={n} />
      ))}
    </datalist>
  );
}
