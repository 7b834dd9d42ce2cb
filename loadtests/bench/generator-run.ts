import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { formatCpuList } from "../../stack/core-pinning.ts";
import type { BenchScenario } from "./bench-results.ts";

/**
 * One load-generator run: `loadtests/run.ts` with the native driver, as its own process
 * pinned to the generator cores, so its CPU is its own and the exact command can be printed
 * next to every figure. Its stderr says when the load starts (after data discovery and user
 * registration), which is where a cell's measured window begins.
 */
const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const runEntry = "loadtests/run.ts";

export interface GeneratorRun {
  scenario: BenchScenario;
  baseUrl: string;
  rate: number;
  durationSeconds: number;
  connections: number;
  summaryPath: string;
  cores: readonly number[];
}

export const generatorArgs = (run: GeneratorRun): string[] => [
  "--driver",
  "native",
  "--scenario",
  run.scenario,
  "--base-url",
  run.baseUrl,
  "--rate",
  String(run.rate),
  "--duration",
  `${run.durationSeconds}s`,
  "--connections",
  String(run.connections),
  "--summary",
  run.summaryPath,
];

/** The command as a person would type it from the repository root. */
export const generatorCommand = (run: GeneratorRun): string =>
  ["taskset", "-c", formatCpuList(run.cores), "node", runEntry, ...generatorArgs(run)]
    .map((word) => (word.startsWith(repoRoot) ? path.relative(repoRoot, word) : word))
    .join(" ");

/** The native runner logs this line as each constant-rate step begins. */
export const loadStartLine = /^\[native\] step 1\//;

export interface GeneratorProcess {
  pid: number;
  /** Resolves when the load begins; rejects if the process exits first. */
  loadStarted: Promise<void>;
  /** 0: thresholds passed, 99: a threshold failed (saturation runs fail latency ones by design). */
  exited: Promise<{ code: number | null; stderrTail: string[] }>;
  kill: () => void;
}

export const startGenerator = (run: GeneratorRun): GeneratorProcess => {
  const child = spawn(
    "taskset",
    ["--cpu-list", formatCpuList(run.cores), process.execPath, runEntry, ...generatorArgs(run)],
    {
      cwd: repoRoot,
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  if (child.pid === undefined) throw new Error("could not start the load generator");
  const stderrTail: string[] = [];
  let started = false;
  let markStarted: () => void = () => {};
  let failStart: (error: Error) => void = () => {};
  const loadStarted = new Promise<void>((resolve, reject) => {
    markStarted = resolve;
    failStart = reject;
  });
  let buffered = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) {
      stderrTail.push(line);
      if (stderrTail.length > 30) stderrTail.shift();
      if (!started && loadStartLine.test(line)) {
        started = true;
        markStarted();
      }
    }
  });
  const exited = new Promise<{ code: number | null; stderrTail: string[] }>((resolve) => {
    // "close", not "exit": its last stderr lines may still be in the pipe at exit.
    child.once("close", (code) => {
      if (!started)
        failStart(new Error(`the load generator exited (${code}) before the load began:\n${stderrTail.join("\n")}`));
      resolve({ code, stderrTail });
    });
  });
  // A failed start is reported through `exited` as well; this keeps it from being unhandled.
  loadStarted.catch(() => undefined);
  return { pid: child.pid, loadStarted, exited, kill: () => child.kill("SIGINT") };
};
