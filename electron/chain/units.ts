// Byte units as the business uses them: decimal (drives and fees are sold in TB = 10^12 bytes).
export const KB = 1e3;
export const MB = 1e6;
export const GB = 1e9;
export const TB = 1e12;
export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

export function formatBytes(n: number): string {
  const units: Array<[number, string]> = [[TB, 'TB'], [GB, 'GB'], [MB, 'MB'], [KB, 'kB']];
  for (const [size, name] of units) if (Math.abs(n) >= size) return `${(n / size).toFixed(n / size >= 100 ? 0 : 2)} ${name}`;
  return `${n} B`;
}
