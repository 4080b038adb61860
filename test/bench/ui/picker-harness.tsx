// The range picker bench's page: one system of 10,000 hourly points (the oldest 4,000 offsite, so
// 6,000 can be synced) as the chain's pointStates gives them, the RangePicker, and a figures panel
// with the count and total size of the chosen range. Marks for the bench (ui-picker.bench.ts):
// "picker-mount" just before React renders, "picker-painted" after the first frame that shows rows;
// window.__keyAt / window.__selectMs time a key press until the panel shows the range it asked for.
import { useCallback, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { pointStates } from '../../../electron/chain/states.ts';
import type { Point } from '../../../electron/chain/types.ts';
import { RangePicker } from '../../../renderer/components/range-picker/index.ts';
// The app's own theme and base styles, so the picker is measured as the app shows it.
import '../../../renderer/styles/theme.css';
import '../../../renderer/styles/app.css';

declare global {
  interface Window {
    __keyAt?: number;
    __selectMs?: number;
    /** The count the bench waits for; the panel records __selectMs when it shows it. */
    __expectCount?: number;
  }
}

const COUNT = 10_000;
const OFFSITE = 4_000;
const T0 = 1_700_000_000;

const local: Point[] = Array.from({ length: COUNT }, (_, i) => ({ name: String(T0 + i * 3600), time: T0 + i * 3600 }));
const system = pointStates({ system: 'agent-bench', kind: 'agent', local, offsite: local.slice(0, OFFSITE) });
// Sizes the panel adds up: 40–400 MB a point, the same on every load.
const bytes = new Map(local.map((p, i) => [p.name, 40e6 + ((i * 7919) % 360) * 1e6]));
const input = { system: system.system, rows: system.rows, lock: system.lock, defaultLock: system.defaultLock, first: system.first, last: system.last };

function Figures({ range }: { range: { first: string; last: string } | null }) {
  const { count, total } = useMemo(() => {
    if (!range) return { count: 0, total: 0 };
    let count = 0;
    let total = 0;
    let inside = false;
    for (const p of local) {
      if (p.name === range.first) inside = true;
      if (inside) {
        count++;
        total += bytes.get(p.name) ?? 0;
      }
      if (p.name === range.last) break;
    }
    return { count, total };
  }, [range]);
  return (
    <output id="figures" data-count={count}>
      {count.toLocaleString('en-US')} points, {(total / 1e9).toFixed(1)} GB
    </output>
  );
}

function Harness() {
  const [range, setRange] = useState<{ first: string; last: string } | null>(system.first && system.last ? { first: system.first, last: system.last } : null);
  const onRangeChange = useCallback((r: { first: string; last: string }) => setRange(r), []);
  const onMoveLock = useCallback(() => {}, []);
  return (
    <main>
      <Figures range={range} />
      <RangePicker system={input} onRangeChange={onRangeChange} onMoveLock={onMoveLock} height={600} />
    </main>
  );
}

/** After the next frame is painted: a task queued from requestAnimationFrame runs after that frame. */
const afterPaint = (f: () => void) => requestAnimationFrame(() => setTimeout(f, 0));

const root = document.getElementById('root')!;
const firstRows = new MutationObserver(() => {
  if (!root.querySelector('[role="option"]')) return;
  firstRows.disconnect();
  afterPaint(() => {
    performance.mark('picker-painted');
    performance.measure('picker-render', 'picker-mount', 'picker-painted');
  });
});
firstRows.observe(root, { childList: true, subtree: true });

window.addEventListener('keydown', (e) => (window.__keyAt = e.timeStamp), { capture: true });
let waiting = false;
new MutationObserver(() => {
  const out = document.getElementById('figures');
  if (waiting || !out || window.__expectCount === undefined || Number(out.dataset.count) !== window.__expectCount) return;
  waiting = true;
  afterPaint(() => {
    window.__selectMs = performance.now() - (window.__keyAt ?? 0);
    window.__expectCount = undefined;
    waiting = false;
  });
}).observe(root, { attributes: true, attributeFilter: ['data-count'], subtree: true });

performance.mark('picker-mount');
createRoot(root).render(<Harness />);
