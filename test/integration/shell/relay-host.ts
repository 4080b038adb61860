// A process hosting an EngineRelay over a real engine, for the test that kills it: it prints the
// engine's pid once the engine answered, then waits to be killed.
import { EngineRelay } from '../../../electron/shell/engine-relay.ts';

const relay = new EngineRelay({
  launch: () => ({ cmd: process.execPath, args: [process.argv[2], 'engine', '--stdio', '--no-drive-events'], elevated: false }),
  onEvent: () => {},
  onState: () => {},
});
const s = await relay.start();
console.log(JSON.stringify({ state: s.state, pid: relay.pid }));
setInterval(() => {}, 1000);
