#!/usr/bin/env node
// Entry point of the `roundtrip` command: runs the TypeScript CLI host through tsx.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../electron/hosts/cli.ts');
process.exitCode = await main(process.argv.slice(2));
