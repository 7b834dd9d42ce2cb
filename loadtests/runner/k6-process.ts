import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ScenarioName } from "../scenarios/catalog.ts";

/**
 * Runs a k6 script with a real k6, from PATH or from the grafana/k6 image. k6 evaluates
 * the thresholds and writes the JSON summary itself (handleSummary); its exit code
 * (99 when a threshold failed) becomes the runner's.
 */
const loadtestsDirectory = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

export const k6Image = "grafana/k6:latest";

const envFlags = (env: Readonly<Record<string, string>>): string[] =>
  Object.entries(env).flatMap(([key, value]) => ["-e", `${key}=${value}`]);

// full: nothing is left out of the data handleSummary receives.
const runFlags = ["run", "--summary-mode=full"];

const run = (command: string, args: string[]): Promise<number> =>
  new Promise((resolve, reject) => {
    process.stderr.write(`[loadtest] ${command} ${args.join(" ")}\n`);
    const child = spawn(command, args, { stdio: "inherit" });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    child.on("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "ENOENT" ? new Error(`${command} is not on PATH (or use --driver native)`) : error),
    );
    child.on("exit", (code, signal) => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      resolve(code ?? (signal ? 130 : 1));
    });
  });

export const runK6Binary = (scenario: ScenarioName, env: Readonly<Record<string, string>>): Promise<number> =>
  run("k6", [
    ...runFlags,
    ...envFlags({ ...env, LOADTEST_DRIVER: "k6" }),
    path.join(loadtestsDirectory, "k6", `${scenario}.ts`),
  ]);

/**
 * The container shares the host's network (so 127.0.0.1 is the host's loopback), reads
 * the scripts read-only, and writes the summary into a mounted directory as the caller.
 */
export const runK6Docker = (
  scenario: ScenarioName,
  env: Readonly<Record<string, string>>,
  summaryPath: string,
): Promise<number> => {
  const summaryDirectory = path.dirname(path.resolve(summaryPath));
  const user = typeof process.getuid === "function" ? [`--user=${process.getuid()}:${process.getgid?.() ?? 0}`] : [];
  return run("docker", [
    "run",
    "--rm",
    "-i",
    "--network=host",
    ...user,
    "-v",
    `${loadtestsDirectory}:/loadtests:ro`,
    "-v",
    `${summaryDirectory}:/summaries`,
    k6Image,
    ...runFlags,
    ...envFlags({ ...env, LOADTEST_DRIVER: "k6-docker", SUMMARY_PATH: `/summaries/${path.basename(summaryPath)}` }),
    `/loadtests/k6/${scenario}.ts`,
  ]);
};
