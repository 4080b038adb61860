// Linux system call numbers (asm/unistd) for the few calls Node lacks and perl reaches through
// syscall(): moving a stream between pipes inside the kernel, and tying a child's life to its
// parent's. Other architectures: undefined, and each caller has its plain fallback.

export interface SyscallNumbers {
  splice: number;
  tee: number;
  prctl: number;
}

const NUMBERS: Partial<Record<NodeJS.Architecture, SyscallNumbers>> = {
  x64: { splice: 275, tee: 276, prctl: 157 },
  arm64: { splice: 76, tee: 77, prctl: 167 },
};

/** This machine's numbers, or undefined where they are not known here. */
export function syscallNumbers(): SyscallNumbers | undefined {
  return NUMBERS[process.arch];
}
