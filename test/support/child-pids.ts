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
