import { execFileSync } from "node:child_process";

/** A process's direct children, e.g. a cluster primary's workers; `ps` exits 1 when there are none. */
export const childPids = (parent: number | undefined): number[] => {
  try {
    return execFileSync("ps", ["-o", "pid=", "--ppid", String(parent)], { encoding: "utf8" })
      .split("\n")
      .map((line) => Number(line.trim()))
      .filter((pid) => pid > 0);
  } catch {
    return [];
  }
};

/** Resolves, with the time it saw it, once `pid` is no longer a child of `parent`: reaped. */
export const waitUntilReaped = async (parent: number | undefined, pid: number, timeoutMs = 10_000): Promise<number> => {
  const deadline = Date.now() + timeoutMs;
  while (childPids(parent).includes(pid)) {
    if (Date.now() > deadline) throw new Error(`process ${pid} not reaped within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return Date.now();
};
