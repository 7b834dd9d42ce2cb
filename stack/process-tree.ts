import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { promisify } from "node:util";

/**
 * What /proc says about the processes a benchmark starts: a process and everything it
 * forked, and the CPU time they used. A tree's time counts each live member's own time
 * plus the time of the children it has reaped, so a Postgres backend or a worker that
 * exits mid-run still counts (in its parent) and nothing counts twice.
 */
const run = promisify(execFile);

/** The process and its live descendants; Linux lists children per thread, so every thread is read. */
export const processTree = async (rootPid: number): Promise<number[]> => {
  const seen = new Set<number>();
  const visit = async (pid: number): Promise<void> => {
    if (seen.has(pid)) return;
    const threads = await readdir(`/proc/${pid}/task`).catch(() => undefined);
    if (threads === undefined) return;
    seen.add(pid);
    for (const thread of threads) {
      const children = await readFile(`/proc/${pid}/task/${thread}/children`, "utf8").catch(() => "");
      for (const child of children.split(" ").filter(Boolean)) await visit(Number(child));
    }
  };
  await visit(rootPid);
  return [...seen];
};

export interface ProcessCpu {
  /** utime + stime, in clock ticks. */
  ownTicks: number;
  /** cutime + cstime: children that exited and were waited for. */
  reapedChildrenTicks: number;
}

/** Fields of /proc/<pid>/stat; the command name may hold spaces and parentheses, so split after its last ")". */
export const parseProcessStat = (text: string): ProcessCpu => {
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state): utime, stime, cutime and cstime are fields 14 to 17.
  const tick = (field: number) => Number(fields[field - 3] ?? 0);
  return { ownTicks: tick(14) + tick(15), reapedChildrenTicks: tick(16) + tick(17) };
};

export const processCpu = async (pid: number): Promise<ProcessCpu | undefined> => {
  const text = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => undefined);
  return text === undefined ? undefined : parseProcessStat(text);
};

/** CPU ticks of a whole tree so far (see the module comment). */
export const treeCpuTicks = async (rootPid: number): Promise<number> => {
  let ticks = 0;
  for (const pid of await processTree(rootPid)) {
    const cpu = await processCpu(pid);
    if (cpu) ticks += cpu.ownTicks + cpu.reapedChildrenTicks;
  }
  return ticks;
};

/** USER_HZ, the unit of /proc times (100 on every Linux we run, but asked, not assumed). */
export const clockTicksPerSecond = async (): Promise<number> => Number((await run("getconf", ["CLK_TCK"])).stdout);

export interface CpuLineTicks {
  busy: number;
  /** Time the hypervisor gave to another guest while this one wanted to run (inside `busy`). */
  steal: number;
}

/** `/proc/stat` per CPU line (`cpu` is the sum, `cpu0`, `cpu1`, ...): busy is all but idle and iowait. */
export const parseSystemStat = (text: string): Map<string, CpuLineTicks> => {
  const lines = new Map<string, CpuLineTicks>();
  for (const line of text.split("\n")) {
    if (!line.startsWith("cpu")) continue;
    const [name = "", ...values] = line.trim().split(/\s+/);
    // user nice system idle iowait irq softirq steal (guest time is already inside user).
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = values.map(Number);
    const busy = user + nice + system + irq + softirq + steal;
    lines.set(name, { busy, steal });
  }
  return lines;
};

export const systemCpuTicks = async (): Promise<Map<string, CpuLineTicks>> =>
  parseSystemStat(await readFile("/proc/stat", "utf8"));
