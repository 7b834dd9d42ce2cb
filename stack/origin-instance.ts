import path from "node:path";
import { fileURLToPath } from "node:url";
import { type ManagedProcess, startProcess, waitForHttp } from "./managed-process.ts";

const originEntry = fileURLToPath(new URL("../origin/main.ts", import.meta.url));

export interface OriginInstanceOptions {
  name: string;
  port: number;
  databaseUrl: string;
  workers: number;
  /** Further origin configuration (see origin/config.ts), passed as environment. */
  env?: Record<string, string>;
  output?: "inherit-prefixed" | "ignore" | ((line: string) => void);
  /** A `taskset -c` CPU list to pin the instance (primary and workers) to, for benchmarks. */
  cpus?: string;
}

export interface OriginInstance {
  url: string;
  process: ManagedProcess;
}

/** Starts one origin instance (a cluster primary and its workers) and waits until it is ready. */
export const startOriginInstance = async (options: OriginInstanceOptions): Promise<OriginInstance> => {
  const url = `http://127.0.0.1:${options.port}`;
  const instance = startProcess({
    name: options.name,
    // taskset execs node in its own place, so the pid stays the instance's primary.
    command: options.cpus === undefined ? process.execPath : "taskset",
    args: options.cpus === undefined ? [originEntry] : ["-c", options.cpus, process.execPath, originEntry],
    cwd: path.dirname(path.dirname(originEntry)),
    env: {
      ...options.env,
      HOST: "127.0.0.1",
      PORT: String(options.port),
      ORIGIN_WORKERS: String(options.workers),
      DATABASE_URL: options.databaseUrl,
    },
    output: options.output ?? "inherit-prefixed",
  });
  await waitForHttp(`${url}/readyz`, instance, 60_000);
  return { url, process: instance };
};
