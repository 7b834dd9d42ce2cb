import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { processTree } from "./process-tree.ts";

/**
 * CPU affinity for benchmark topologies (design.md: load generator and system under test on
 * different cores). A process forked later inherits the affinity of the thread that forked
 * it, so pinning a tree once also places the Postgres backends, NGINX workers and cluster
 * workers it starts afterwards.
 */
const run = promisify(execFile);

/** `0-3,6` as [0, 1, 2, 3, 6]. */
export const parseCpuList = (list: string): number[] =>
  list
    .trim()
    .split(",")
    .filter(Boolean)
    .flatMap((range) => {
      const [from = "", to = from] = range.split("-");
      const first = Number(from);
      const last = Number(to);
      if (!Number.isInteger(first) || !Number.isInteger(last) || last < first) {
        throw new Error(`not a CPU list: ${list}`);
      }
      return Array.from({ length: last - first + 1 }, (_, index) => first + index);
    });

export const formatCpuList = (cores: readonly number[]): string => [...cores].sort((a, b) => a - b).join(",");

/** The cores this process may run on (taskset or a container may have narrowed them). */
export const allowedCores = async (): Promise<number[]> => {
  const status = await readFile("/proc/self/status", "utf8");
  const line = status.split("\n").find((entry) => entry.startsWith("Cpus_allowed_list:"));
  if (line === undefined) throw new Error("/proc/self/status has no Cpus_allowed_list");
  return parseCpuList(line.slice(line.indexOf(":") + 1));
};

/** Pins every thread of every process in the tree; a process that exits meanwhile is skipped. */
export const pinProcessTree = async (rootPid: number, cores: readonly number[]): Promise<void> => {
  const list = formatCpuList(cores);
  for (const pid of await processTree(rootPid)) {
    await run("taskset", ["--all-tasks", "--cpu-list", "--pid", list, String(pid)]).catch(() => undefined);
  }
};
