import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { processTree } from "./process-tree.ts";

/**
 * A CPU budget for process trees: a cgroup v1 CPU group whose CFS quota gives its members
 * `cores` worth of CPU time per period (design.md, "Scaling curves by CPU budget"). Needs
 * root and the v1 `cpu` controller. Children forked later stay in the group. `remove` moves
 * the members back to the root group and deletes the group; it is synchronous, so it can
 * run from an exit handler.
 */
export const cgroupCpuRoot = "/sys/fs/cgroup/cpu";

export interface CpuBudget {
  path: string;
  /** Sets the quota; `undefined` lifts it (unlimited). */
  setCores: (cores: number | undefined) => void;
  /** Moves these trees (every live process in them) into the group. */
  addTrees: (rootPids: readonly number[]) => Promise<void>;
  remove: () => void;
}

const quotaMicros = (cores: number, periodMicros: number): number => Math.round(cores * periodMicros);

export const cpuBudgetAvailable = (): boolean =>
  existsSync(path.join(cgroupCpuRoot, "cpu.cfs_quota_us")) && process.getuid?.() === 0;

const movePids = (pids: Iterable<string>, procsFile: string) => {
  // cgroup.procs takes one pid per write.
  for (const pid of pids) {
    try {
      writeFileSync(procsFile, pid);
    } catch {
      // it exited meanwhile
    }
  }
};

const members = (group: string) => readFileSync(path.join(group, "cgroup.procs"), "utf8").split("\n").filter(Boolean);

export const createCpuBudget = (name: string): CpuBudget => {
  if (!cpuBudgetAvailable()) throw new Error(`CPU budgets need root and cgroup v1 at ${cgroupCpuRoot}`);
  const group = path.join(cgroupCpuRoot, name);
  mkdirSync(group, { recursive: true });
  const period = Number(readFileSync(path.join(group, "cpu.cfs_period_us"), "utf8"));
  let removed = false;
  return {
    path: group,
    setCores: (cores) =>
      writeFileSync(
        path.join(group, "cpu.cfs_quota_us"),
        String(cores === undefined ? -1 : quotaMicros(cores, period)),
      ),
    addTrees: async (rootPids) => {
      for (const root of rootPids) {
        movePids((await processTree(root)).map(String), path.join(group, "cgroup.procs"));
      }
    },
    remove: () => {
      if (removed || !existsSync(group)) return;
      // A member forking while we move the others can leave one behind: a few passes.
      for (let pass = 0; pass < 5; pass++) {
        movePids(members(group), path.join(cgroupCpuRoot, "cgroup.procs"));
        try {
          rmdirSync(group);
          removed = true;
          return;
        } catch {
          // still busy; the next pass moves what was left
        }
      }
      throw new Error(`could not remove the CPU budget group ${group}: ${members(group).length} processes remain`);
    },
  };
};
