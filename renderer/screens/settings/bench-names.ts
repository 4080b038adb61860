// The technicians' names the bench has configured, for the top bar's name field to offer. Filled
// from the settings when the window opens and whenever the settings screen saves them.
import { create } from 'zustand';
import { engine } from '../../app/engine.ts';

interface BenchNames {
  benchName: string;
  technicians: string[];
  loaded: boolean;
  set(benchName: string, technicians: string[]): void;
  load(): void;
}

export const useBenchNames = create<BenchNames>((set, get) => ({
  benchName: '',
  technicians: [],
  loaded: false,
  set: (benchName, technicians) => set({ benchName, technicians, loaded: true }),
  load() {
    if (get().loaded) return;
    set({ loaded: true });
    engine
      .call('tickets.settings', {})
      .then((s) => {
        const bench = (s as { bench?: { name: string; technicians: string[] } }).bench;
        if (bench) get().set(bench.name, bench.technicians);
      })
      .catch(() => set({ loaded: false }));
  },
}));
