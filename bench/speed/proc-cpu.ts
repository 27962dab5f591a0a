/**
 * CPU time from Linux's /proc, for the benches: of a process (`/proc/<pid>/stat`) or of one of its
 * threads (`/proc/self/task/<tid>/stat`).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** /proc's CPU times are in clock ticks: 100 a second on every usual Linux, asked to be sure. */
const clockTicks = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * User plus system CPU seconds of the process or thread whose stat file this is (fields 14 and 15 of
 * stat(5)). Throws where there is no such file (not Linux, or the process is gone).
 *
 * @example
 * cpuSecondsOf(`/proc/${child.pid}/stat`); // 3.42
 */
export function cpuSecondsOf(statFile: string): number {
  const stat = readFileSync(statFile, "utf8");
  // The name in parentheses may hold spaces: count fields from after it (state is field 3).
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}
