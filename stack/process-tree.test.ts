import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { parseProcessStat, parseSystemStat, processTree, treeCpuTicks } from "./process-tree.ts";

describe("parseProcessStat", () => {
  it("reads utime, stime, cutime and cstime after a command name holding spaces and parentheses", () => {
    const stat = "4242 (nginx: worker (x)) S 1 4242 4242 0 -1 4194624 120 0 0 0 150 30 12 8 20 0 1 0 999 0 0";
    expect(parseProcessStat(stat)).toEqual({ ownTicks: 180, reapedChildrenTicks: 20 });
  });
});

describe("parseSystemStat", () => {
  it("counts everything but idle and iowait as busy", () => {
    const lines = parseSystemStat("cpu  100 5 50 800 20 3 2 7 0 0\ncpu0 60 5 30 400 10 2 1 0 0 0\nintr 1 2 3\n");
    expect(lines.get("cpu")).toEqual({ busy: 167, steal: 7 });
    expect(lines.get("cpu0")).toEqual({ busy: 98, steal: 0 });
  });
});

describe("processTree", () => {
  it("finds the children a process forked, and their CPU time", async () => {
    const child = spawn("sh", ["-c", "sleep 5 & wait"], { stdio: "ignore" });
    await once(child, "spawn");
    await new Promise((resolve) => setTimeout(resolve, 100));
    try {
      const tree = await processTree(process.pid);
      expect(tree).toContain(process.pid);
      expect(tree).toContain(child.pid);
      expect((await processTree(child.pid ?? 0)).length).toBe(2);
      expect(await treeCpuTicks(process.pid)).toBeGreaterThan(0);
    } finally {
      child.kill("SIGKILL");
    }
  });
});
