// /proc/<pid>/stat (or a thread's, /proc/<pid>/task/<tid>/stat), read as its fields from the
// third on: the command name (field 2) may hold spaces and parentheses, so the fields are counted
// after its last closing parenthesis. Index 0 is the state, 1 the parent pid, 11/12 utime/stime,
// 19 the start time (proc(5) field n is index n - 3).
import { readFileSync } from 'node:fs';

/** The fields after the command name, or null when the process (or thread) is gone. */
export function procStatFields(pid: number | string, tid?: number | string): string[] | null {
  try {
    const stat = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}
