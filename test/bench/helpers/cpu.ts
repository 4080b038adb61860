// CPU time, for the benches that must show what two cores can and cannot fit into a run:
//  - the whole machine's (every process and kernel thread: /proc/stat's first line), for work
//    partly done by the kernel on nobody's account (writeback of a flushed file, the loop device);
//  - one tool's own (user + system of the child and what it waited for), read by perl's times()
//    after the child exits: Node gives no child's rusage.
import { readFileSync } from 'node:fs';
import { execa } from 'execa';

/** Linux counts /proc/stat in USER_HZ, 100 per second on every architecture Node runs on here. */
const USER_HZ = 100;

/**
 * CPU seconds the machine has spent busy since boot: user, nice, system, irq and softirq (not idle,
 * iowait, nor steal: time the host took from this VM is no work done here).
 */
export function machineBusySeconds(): number {
  const [, ...f] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq] = f.map(Number);
  return (user + nice + system + irq + softirq) / USER_HZ;
}

// Runs its arguments as a command (no shell: `system` with a list), then prints the CPU seconds of
// its finished children and the command's exit status.
const TIMES = 'my $rc = system { $ARGV[0] } @ARGV; my @t = times; printf "\\n%.2f %d\\n", $t[2] + $t[3], $rc < 0 ? 127 : $rc >> 8;';

/** Runs `cmd` and returns the CPU seconds it used; throws when it fails. */
export async function toolCpuSeconds(cmd: string, args: readonly string[]): Promise<number> {
  const r = await execa('perl', ['-e', TIMES, cmd, ...args], { reject: false });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  const [cpu, rc] = last.split(' ').map(Number);
  if (r.exitCode !== 0 || rc !== 0 || !Number.isFinite(cpu)) throw new Error(`${cmd} ${args.join(' ')} failed (${rc ?? r.exitCode}): ${r.stderr || r.stdout}`);
  return cpu;
}

/** CPU seconds this process (all its threads) spends on `fn`. */
export async function ownCpuSeconds(fn: () => Promise<unknown>): Promise<number> {
  const before = process.cpuUsage();
  await fn();
  const d = process.cpuUsage(before);
  return (d.user + d.system) / 1e6;
}
