// Which host runs this engine, for engine.info (a UI shows it; tests assert it).
export type HostName = 'cli' | 'serve' | 'stdio' | 'electron' | 'test';

let current: HostName = 'test';

export function setHostName(h: HostName): void {
  current = h;
}

export function hostName(): HostName {
  return current;
}
