import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { pidsListeningOn } from "../../stack/listening-pids.ts";
import type { EdgeRuntime } from "./bench-profiles.ts";

/**
 * The edge in front of NGINX, from stack/edge.ts (`startEdge`) when that module exists.
 * It is loaded by path, so the bench runs every origin-only cell on a checkout without an
 * edge and reports the edge-fronted cells as skipped, with the reason.
 */
const edgeModulePath = fileURLToPath(new URL("../../stack/edge.ts", import.meta.url));

export interface EdgeStartOptions {
  runtime: EdgeRuntime;
  port: number;
  originUrl: string;
  jwtSecret: string;
  purgeSecret: string;
  /** Deno: isolates of `deno serve --parallel`. */
  isolates?: number;
  output?: (line: string) => void;
}

export interface RunningEdge {
  url: string;
  /** Root processes of the edge, for its CPU time. */
  pids: number[];
  stop: () => Promise<void>;
}

interface EdgeHandle {
  url: string;
  stop: () => Promise<void>;
  process?: { child?: { pid?: number } };
  pid?: number;
}

type StartEdge = (options: EdgeStartOptions) => Promise<EdgeHandle>;

export type EdgeLoader =
  | { ok: true; start: (options: EdgeStartOptions) => Promise<RunningEdge> }
  | { ok: false; reason: string };

const isHandle = (value: unknown): value is EdgeHandle =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as EdgeHandle).url === "string" &&
  typeof (value as EdgeHandle).stop === "function";

export const loadEdge = async (): Promise<EdgeLoader> => {
  if (!existsSync(edgeModulePath))
    return { ok: false, reason: "stack/edge.ts does not exist yet (the edge tier, issue 4)" };
  const module = (await import(edgeModulePath)) as { startEdge?: unknown };
  if (typeof module.startEdge !== "function")
    return { ok: false, reason: "stack/edge.ts exports no startEdge function" };
  const startEdge = module.startEdge as StartEdge;
  return {
    ok: true,
    start: async (options) => {
      const handle = await startEdge(options);
      if (!isHandle(handle)) throw new Error("startEdge did not return { url, stop }");
      const own = handle.process?.child?.pid ?? handle.pid;
      const pids = own === undefined ? await pidsListeningOn(Number(new URL(handle.url).port)) : [own];
      return { url: handle.url.replace(/\/+$/, ""), pids, stop: () => handle.stop() };
    },
  };
};
