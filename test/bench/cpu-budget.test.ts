import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cpuBudgetAvailable, createCpuBudget } from "../../stack/cpu-budget.ts";
import { treeCpuTicks } from "../../stack/process-tree.ts";

/** The cgroup v1 CPU quota the bench's budget curves use, on real processes. */
const cgroupOf = (pid: number) =>
  readFileSync(`/proc/${pid}/cgroup`, "utf8")
    .split("\n")
    .find((line) => /:(cpu|cpu,cpuacct|cpuacct,cpu):/.test(line))
    ?.split(":")[2];

describe.skipIf(!cpuBudgetAvailable())("a CPU budget", () => {
  it("holds a busy process tree to its quota, and leaves nothing behind when removed", async () => {
    // A shell and its busy child: the child must be moved too.
    const busy = spawn("sh", ["-c", "while :; do :; done & wait"], { stdio: "ignore", detached: true });
    await once(busy, "spawn");
    await new Promise((resolve) => setTimeout(resolve, 100));
    const budget = createCpuBudget(`conduit-bench-test-${process.pid}`);
    try {
      await budget.addTrees([busy.pid ?? 0]);
      budget.setCores(0.2);
      expect(readFileSync(path.join(budget.path, "cpu.cfs_quota_us"), "utf8").trim()).toBe("20000");
      expect(cgroupOf(busy.pid ?? 0)).toBe(`/${path.basename(budget.path)}`);
      const before = await treeCpuTicks(busy.pid ?? 0);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const ticks = (await treeCpuTicks(busy.pid ?? 0)) - before;
      // 0.2 cores for 2 s is 40 ticks at 100 Hz; a spinning loop would take 200.
      expect(ticks).toBeLessThan(60);
    } finally {
      budget.remove();
      // The group: the shell and the loop it forked.
      process.kill(-(busy.pid ?? 0), "SIGKILL");
    }
    expect(existsSync(budget.path)).toBe(false);
  });
});
