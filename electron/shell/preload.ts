// The sandboxed preload: exposes the bridge (bridge.ts) as window.roundtrip, never ipcRenderer.
// Bundled into one CommonJS file that requires nothing but `electron` (scripts/build-shell.mjs).
import { contextBridge, ipcRenderer } from 'electron';
import { buildBridge } from './bridge.ts';

contextBridge.exposeInMainWorld('roundtrip', buildBridge(ipcRenderer));
