// The house reads top-down: hosts → engine → capabilities (merge, jobs, appliance, drives, tickets)
// → domain (chain, ticket model) and system wrappers → api, with the lab beside the hosts as a
// client that registers its drives and sites with the engine. One table says which layer may import
// which; one rule keeps the pure modules (which the renderer imports) free of Node. Every import of
// every file under electron/ is read with the TypeScript parser (static, re-exports, dynamic and
// `import('…')` types), and every offending import is reported, not just the first.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..');

/**
 * Layer → the layers (or single files) it may import besides itself. A layer is a folder under
 * electron/ with everything below it, except a deeper folder that is a layer of its own
 * (tickets/model inside tickets). The table must stay acyclic (a test below checks it).
 */
const LAYERS: Record<string, string[]> = {
  // The Electron shell (main, preload) runs the engine as a child process and speaks the contract
  // to it over a pipe: it imports the contract and run.ts's spawnTool, never the engine's code.
  shell: ['system', 'api'],
  // The hosts (CLI, serve, later the Electron shell) start everything and may reach anything.
  hosts: ['engine', 'lab', 'merge', 'jobs', 'appliance', 'drives', 'tickets', 'tickets/model', 'chain', 'seal', 'system', 'api'],
  // The lab is a client beside the hosts: it builds pools and loop drives with the capabilities,
  // files sample tickets, and registers its drives and sites with the engine's registries. Nothing
  // below it reads the lab.
  lab: ['merge', 'jobs', 'appliance', 'drives', 'tickets', 'tickets/model', 'chain', 'seal', 'system', 'api'],
  // The engine answers the contract with the capabilities; of the lab, only `lab.status`.
  engine: ['merge', 'jobs', 'appliance', 'drives', 'tickets', 'tickets/model', 'chain', 'seal', 'system', 'api', 'lab/status.ts'],
  // Merge-back is the sync run backwards: it reuses the unit, manifest, journal, progress, verify
  // and guards of jobs/. So merge builds on jobs, and jobs never imports merge.
  merge: ['jobs', 'appliance', 'drives', 'tickets', 'tickets/model', 'chain', 'seal', 'system', 'api'],
  // The sync pipelines: drives to write on, the appliance's systems and sites to read from, ticket
  // rules to plan by. The ticket store is allowed (a job may record on its ticket).
  jobs: ['appliance', 'drives', 'tickets', 'tickets/model', 'chain', 'seal', 'system', 'api'],
  // The appliance's protected systems, their encryption, and where a ticket's data lives; an
  // offsite on another host is read through drives' NAS access.
  appliance: ['drives', 'tickets/model', 'chain', 'system', 'api'],
  // Drives know no tickets and no lab: destructive actions go to listeners the engine wires up
  // (engine/wire-audit.ts), and the lab's loop drives come from drives' own registry.
  drives: ['chain', 'system', 'api'],
  // The ticket store, audit trail and notifications, over the pure ticket model.
  tickets: ['tickets/model', 'chain', 'system', 'api'],
  // Thin wrappers over external tools.
  system: ['api'],
  // Sealed units' crypto (the sealed stream format, the unit key): node:crypto and node:stream
  // only, no tools and no files, so the sync (jobs) and merge-back (merge) share one format.
  seal: ['api'],
  // Pure domain: the ticket model builds on the chain's rules (fees, media, plan, units).
  'tickets/model': ['chain', 'api'],
  chain: ['api'],
  // The contract imports nothing but itself: both sides of every transport import it.
  api: [],
};

/** Modules the renderer imports: Node-free, zod only, importing only pure modules (and JSON data). */
const PURE_FOLDERS = ['api', 'chain', 'tickets/model'];
const PURE_FILES = ['drives/types.ts', 'drives/policy.ts', 'drives/describe.ts', 'drives/preview.ts', 'drives/naming.ts', 'drives/schemas.ts'];
const PURE_PACKAGES = new Set(['zod']);

interface Import {
  /** Relative to the repository, e.g. electron/drives/enumerate.ts. */
  file: string;
  line: number;
  spec: string;
  /** The file it names (relative to the repository), for a relative import; null for a package. */
  target: string | null;
  /** `import(expression)`: what it loads cannot be checked against the table. */
  computed?: true;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? tsFiles(p) : /\.tsx?$/.test(f) ? [p] : [];
  });
}

/** Every module specifier of a file: import/export … from, import x = require(), import(), import('…') types. */
function importsOf(path: string): Import[] {
  const file = relative(root, path);
  const src = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: Import[] = [];
  const add = (node: ts.Node, spec: string, computed = false) => {
    const target = !computed && spec.startsWith('.') ? relative(root, resolve(dirname(path), spec)) : null;
    out.push({ file, line: src.getLineAndCharacterOfPosition(node.getStart()).line + 1, spec, target, ...(computed ? { computed: true as const } : {}) });
  };
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node, node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      add(node, node.moduleReference.expression.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      // A computed import cannot be checked against the table: it is an offence of its own.
      if (arg && ts.isStringLiteralLike(arg)) add(node, arg.text);
      else add(node, node.getText(src), true);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node, node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(src);
  return out;
}

const LAYER_NAMES = Object.keys(LAYERS).sort((a, b) => b.length - a.length); // deepest first

/** The layer of a path under electron/ (tickets/model before tickets), or null. */
function layerOf(rel: string): string | null {
  if (!rel.startsWith('electron/')) return null;
  const inner = rel.slice('electron/'.length);
  return LAYER_NAMES.find((l) => inner.startsWith(`${l}/`)) ?? null;
}

/** Whether `from`'s layer may import the file `target` (relative to the repository). */
function allowed(from: string, target: string): boolean {
  const to = layerOf(target);
  if (to === from) return true;
  const inner = target.slice('electron/'.length);
  return LAYERS[from].some((a) => (a.endsWith('.ts') ? inner === a : a === to));
}

function isPure(rel: string): boolean {
  const inner = rel.slice('electron/'.length);
  return PURE_FILES.includes(inner) || PURE_FOLDERS.some((f) => inner.startsWith(`${f}/`));
}

const isData = (target: string) => target.startsWith('resources/') && target.endsWith('.json');
const isBuiltin = (spec: string) => spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0]);
const packageOf = (spec: string) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
const show = (i: Import, why: string) => `${i.file}:${i.line} → ${i.spec}  (${why})`;

const FILES = tsFiles(join(root, 'electron')).sort();
const IMPORTS = FILES.flatMap(importsOf);

/** Strongly connected components of more than one file (Tarjan), each as its files in order. */
function cycles(edges: Map<string, string[]>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const on = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const out: string[][] = [];
  const connect = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of [...edges.keys()].sort()) if (!idx.has(v)) connect(v);
  return out;
}

describe('layers', () => {
  it('reads the whole tree: every file under electron/ is in a layer', () => {
    expect(IMPORTS.length).toBeGreaterThan(500);
    expect(FILES.filter((f) => !layerOf(relative(root, f))).map((f) => relative(root, f))).toEqual([]);
  });

  it('has an acyclic table naming only layers and files that exist', () => {
    for (const [layer, deps] of Object.entries(LAYERS)) {
      for (const d of deps) expect(statSync(join(root, 'electron', d)), `${layer} → ${d}`).toBeTruthy();
    }
    const edges = new Map(Object.entries(LAYERS).map(([l, deps]) => [l, deps.map((d) => layerOf(`electron/${d.endsWith('.ts') ? d : `${d}/x.ts`}`)!)]));
    expect(cycles(edges)).toEqual([]);
  });

  it('imports only in the allowed directions', () => {
    const offenders = IMPORTS.filter((i) => i.target?.startsWith('electron/')).flatMap((i) => {
      const from = layerOf(i.file)!;
      return allowed(from, i.target!) ? [] : [show(i, `${from} may not import ${layerOf(i.target!) ?? 'that'}`)];
    });
    const outside = IMPORTS.filter((i) => i.target && !i.target.startsWith('electron/') && !isData(i.target)).map((i) => show(i, 'outside electron/'));
    const computed = IMPORTS.filter((i) => i.computed).map((i) => show(i, 'a computed import cannot be checked'));
    expect([...offenders, ...outside, ...computed]).toEqual([]);
  });

  it('keeps pure modules free of Node, of npm packages but zod, and of modules that are not pure', () => {
    const rel = FILES.map((f) => relative(root, f));
    for (const f of PURE_FOLDERS) expect(rel.some((r) => r.startsWith(`electron/${f}/`)), `a module in electron/${f}`).toBe(true);
    for (const f of PURE_FILES) expect(rel, `electron/${f}`).toContain(`electron/${f}`);
    const pureOwn = IMPORTS.filter((i) => isPure(i.file));
    const offenders = pureOwn.flatMap((i) => {
      if (i.computed) return []; // reported with the directions
      if (i.target) {
        if (isData(i.target) || (i.target.startsWith('electron/') && isPure(i.target))) return [];
        return [show(i, 'a pure module imports only pure modules and JSON under resources/')];
      }
      if (isBuiltin(i.spec)) return [show(i, 'a Node built-in in a pure module')];
      return PURE_PACKAGES.has(packageOf(i.spec)) ? [] : [show(i, 'an npm package other than zod in a pure module')];
    });
    expect(offenders).toEqual([]);
  });

  it('keeps the renderer on the contract: it imports pure modules, its own files and UI packages, nothing that touches the machine', () => {
    // The renderer runs in a browser or Electron's sandboxed window: the engine is reached only
    // through the API client (renderer/api/), never by importing engine, hosts or system code.
    const UI_PACKAGES = new Set(['react', 'react-dom', 'zustand', 'zod', 'react-aria-components', '@tanstack/react-virtual', 'bwip-js']);
    const dir = join(root, 'renderer');
    const files = tsFiles(dir).filter((f) => !/\.d\.ts$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    const offenders = files.flatMap(importsOf).flatMap((i) => {
      if (i.computed) return [show(i, 'a computed import cannot be checked')];
      if (i.target) {
        if (i.target.startsWith('renderer/') || isData(i.target) || (i.target.startsWith('electron/') && isPure(i.target))) return [];
        return [show(i, 'the renderer imports only its own files and pure modules')];
      }
      if (isBuiltin(i.spec)) return [show(i, 'a Node built-in in the renderer')];
      return UI_PACKAGES.has(packageOf(i.spec)) ? [] : [show(i, 'an npm package the renderer does not use')];
    });
    expect(offenders).toEqual([]);
  });

  it('has no import cycles between files', () => {
    const edges = new Map<string, string[]>();
    for (const i of IMPORTS) {
      if (i.target?.startsWith('electron/')) edges.set(i.file, [...(edges.get(i.file) ?? []), i.target]);
    }
    // Each cycle as the imports that close it, so the report names the lines to change.
    const offenders = cycles(edges).flatMap((c) =>
      IMPORTS.filter((i) => c.includes(i.file) && i.target && c.includes(i.target)).map((i) => show(i, `cycle of ${c.map((f) => f.replace(/^electron\//, '')).join(', ')}`)),
    );
    expect(offenders).toEqual([]);
  });
});
