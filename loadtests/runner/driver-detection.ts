import { execFile } from "node:child_process";
import { access, constants } from "node:fs/promises";
import path from "node:path";
import type { DriverChoice } from "./cli-args.ts";

/** Picks the load generator: a real k6 when there is one, the native runner otherwise. */
export type ResolvedDriver = "k6" | "docker" | "native";

export const findExecutable = async (command: string, searchPath: string | undefined): Promise<string | undefined> => {
  for (const directory of (searchPath ?? "").split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(directory, command);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
};

/** True when a Docker engine answers within a few seconds (the CLI alone is not enough). */
export const dockerEngineAnswers = (): Promise<boolean> =>
  new Promise((resolve) => {
    execFile("docker", ["info", "--format", "{{.ServerVersion}}"], { timeout: 5_000 }, (error) => resolve(!error));
  });

export const resolveDriver = async (
  choice: DriverChoice,
  searchPath: string | undefined,
): Promise<{ driver: ResolvedDriver; reason: string }> => {
  if (choice !== "auto") return { driver: choice, reason: "forced by --driver" };
  const k6 = await findExecutable("k6", searchPath);
  if (k6) return { driver: "k6", reason: `k6 found at ${k6}` };
  if ((await findExecutable("docker", searchPath)) && (await dockerEngineAnswers())) {
    return { driver: "docker", reason: "no k6 on PATH; a Docker engine answers" };
  }
  return { driver: "native", reason: "no k6 on PATH and no Docker engine: native autocannon runner" };
};
