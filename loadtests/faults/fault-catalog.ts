import { processTree } from "../../stack/process-tree.ts";
import type { InterruptiblePart } from "../bench/bench-stack.ts";
import { mixedWriteNames } from "../scenarios/mixed-mix.ts";
import type { LoadSummary } from "../summary/load-summary.ts";
import type { WriteLedgerLine } from "./write-ledger.ts";

/**
 * The faults of design.md's third question, each with the promise the system makes under
 * it, written as a check on what the clients saw. A fault is injected once, a few seconds
 * into a steady load, and has ended (the part is back) before the load does.
 */
export interface FaultControls {
  interrupt: (part: InterruptiblePart, downMs: number) => Promise<void>;
  /** The pid of each origin instance's cluster primary. */
  instancePids: () => number[];
}

export interface FaultObservation {
  summary: LoadSummary;
  ledger: WriteLedgerLine[];
  /** Connections of the load: at most one request in flight on each. */
  connections: number;
  /** Every part answered again after the fault. */
  recovered: boolean;
}

export interface Fault {
  id: string;
  description: string;
  /** Where the load goes: NGINX (origin-only) or the edge in front of it. */
  target: "origin" | "edge";
  scenario: "mixed" | "browse";
  promise: string;
  inject: (controls: FaultControls) => Promise<void>;
  /** The ways the promise was broken; empty when it held. */
  check: (observed: FaultObservation) => string[];
}

/** Requests NGINX never retries on another instance, because they may have changed something. */
const nonIdempotent = new Set<string>([...mixedWriteNames, "login"]);

export const failureCounts = (summary: LoadSummary) => {
  let reads = 0;
  let posts = 0;
  for (const [name, figures] of Object.entries(summary.byName)) {
    if (nonIdempotent.has(name)) posts += figures.failed;
    else reads += figures.failed;
  }
  // The native runner cannot name a request that got no response at all (refused, reset).
  return { reads, posts, unanswered: Math.max(0, summary.requests.failed - reads - posts) };
};

const serverErrors = (summary: LoadSummary) =>
  Object.entries(summary.statusCounts)
    .filter(([status]) => Number(status) >= 500 || Number(status) === 0)
    .reduce((sum, [, count]) => sum + count, 0);

const noFailures = (summary: LoadSummary): string[] =>
  summary.requests.failed > 0 ? [`${summary.requests.failed} requests failed`] : [];

/** Failures that are not the "unavailable, retry later" answer (503 with Retry-After). */
const onlyUnavailable = (summary: LoadSummary): string[] => {
  const other = Object.entries(summary.statusCounts)
    .filter(([status]) => (Number(status) >= 400 || Number(status) === 0) && status !== "503")
    .reduce((sum, [, count]) => sum + count, 0);
  return other > 0 ? [`${other} failures were not 503`] : [];
};

const always = ({ ledger, recovered }: FaultObservation): string[] => [
  ...ledger.filter((line) => line.lost > 0).map((line) => `${line.lost} ${line.request} answered but not stored`),
  ...(recovered ? [] : ["not every part answered again after the fault"]),
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const workersOf = async (primaryPid: number) => (await processTree(primaryPid)).filter((pid) => pid !== primaryPid);

/** SIGHUP to one primary, then until every worker it had is replaced (or a minute passes). */
const rollingReload = async (primaryPid: number) => {
  const before = await workersOf(primaryPid);
  process.kill(primaryPid, "SIGHUP");
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(200)) {
    const now = await workersOf(primaryPid);
    if (now.length === before.length && now.every((pid) => !before.includes(pid))) return;
  }
  throw new Error(`instance ${primaryPid} did not replace its workers within a minute`);
};

export const faultCatalog: readonly Fault[] = [
  {
    id: "none",
    description: "no fault: the baseline",
    target: "origin",
    scenario: "mixed",
    promise: "no request fails",
    inject: async () => {},
    check: (observed) => [...always(observed), ...noFailures(observed.summary)],
  },
  {
    id: "worker-kill",
    description: "kill -9 of one worker of one instance",
    target: "origin",
    scenario: "mixed",
    promise:
      "no read fails (NGINX retries it elsewhere); only POSTs that reached that worker before its primary reaped it may (NGINX never retries a POST), checked as at most one per connection",
    inject: async ({ instancePids }) => {
      const [primary] = instancePids();
      const [victim] = await workersOf(primary ?? 0);
      if (victim === undefined) throw new Error("no worker to kill");
      process.kill(victim, "SIGKILL");
    },
    check: (observed) => {
      const failed = failureCounts(observed.summary);
      return [
        ...always(observed),
        ...(failed.reads > 0 ? [`${failed.reads} reads failed`] : []),
        ...(failed.posts + failed.unanswered > observed.connections
          ? [`${failed.posts + failed.unanswered} POSTs failed, more than the ${observed.connections} connections`]
          : []),
      ];
    },
  },
  {
    id: "rolling-reload",
    description: "SIGHUP rolling reload of both instances, one after the other",
    target: "origin",
    scenario: "mixed",
    promise: "no request fails",
    inject: async ({ instancePids }) => {
      for (const pid of instancePids()) await rollingReload(pid);
    },
    check: (observed) => [...always(observed), ...noFailures(observed.summary)],
  },
  {
    id: "instance-stop",
    description: "SIGTERM of one whole instance, started again 5 s later",
    target: "origin",
    scenario: "mixed",
    promise: "no read fails; NGINX routes around the stopped instance",
    inject: ({ interrupt }) => interrupt({ origin: 1 }, 5_000),
    check: (observed) => {
      const failed = failureCounts(observed.summary);
      return [...always(observed), ...(failed.reads > 0 ? [`${failed.reads} reads failed`] : [])];
    },
  },
  {
    id: "redis-outage",
    description: "Redis stopped for 5 s",
    target: "origin",
    scenario: "mixed",
    promise: "no 5xx: the cache is bypassed, the limits fall back to their documented policy",
    inject: ({ interrupt }) => interrupt("redis", 5_000),
    check: (observed) => {
      const errors = serverErrors(observed.summary);
      return [...always(observed), ...(errors > 0 ? [`${errors} answers were 5xx or none`] : [])];
    },
  },
  {
    id: "postgres-outage",
    description: "Postgres stopped for 5 s (fast shutdown)",
    target: "origin",
    scenario: "mixed",
    promise: "failures are 503s with Retry-After, no answered write is lost, and service resumes by itself",
    inject: ({ interrupt }) => interrupt("postgres", 5_000),
    check: (observed) => [...always(observed), ...onlyUnavailable(observed.summary)],
  },
  {
    id: "origin-down-behind-edge",
    description: "NGINX stopped for 10 s behind the edge (deno serve)",
    target: "edge",
    scenario: "browse",
    promise: "cached reads are still served (fresh, or stale within stale-if-error); a miss gets the edge's 503",
    inject: ({ interrupt }) => interrupt("nginx", 10_000),
    check: (observed) => [...always(observed), ...onlyUnavailable(observed.summary)],
  },
];
