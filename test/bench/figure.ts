// What every bench file gives `npm run bench`: named figures, each with its unit.
export interface Figure {
  name: string;
  value: number;
  unit: string;
}

/** Megabytes (10^6 bytes) per second over `seconds`. */
export function mbPerSecond(bytes: number, seconds: number): number {
  return Math.round((bytes / 1e6 / seconds) * 10) / 10;
}

export function ratio(a: number, b: number): number {
  return Math.round((a / b) * 1000) / 1000;
}
