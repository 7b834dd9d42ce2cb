import type { LoadSummary } from "../summary/load-summary.ts";

/**
 * What `npm run bench` writes to reports/<timestamp>/results.json: the raw measurements of
 * every cell (one load run against one topology), from which summary.md and report.html
 * derive their figures (cell-figures.ts) and projections (projection.ts).
 */
export const benchResultsSchema = "conduit-bench-results/1";

export type BenchScenario = "browse" | "mixed";
/** Where the load generator sends its requests: NGINX in front of the origins, or an edge in front of NGINX. */
export type BenchTarget = "origin" | "edge-deno" | "edge-wrangler";
export type CellGroup = "scaling" | "comparison" | "budget";
/**
 * `saturation`: an offered rate far above capacity, so every connection sends back to back
 * (closed loop): throughput is capacity, latency is queueing at that concurrency.
 * `fixed-rate`: the scenario's own rate (loadtests/scenarios/catalog.ts), the same for
 * every target: latency at equal load.
 */
export type LoadMode = "saturation" | "fixed-rate";
export type Tier = "edge" | "nginx" | "origin" | "postgres" | "redis";
export const tiers: readonly Tier[] = ["edge", "nginx", "origin", "postgres", "redis"];

export interface Topology {
  instances: number;
  workers: number;
}

export interface CellPlan {
  /** `<scenario>/<target>/<instances>x<workers>/<mode>[/<budget>-cores]`, what `--only` matches. */
  id: string;
  group: CellGroup;
  scenario: BenchScenario;
  target: BenchTarget;
  topology: Topology;
  mode: LoadMode;
  /** Offered requests per second. */
  rate: number;
  /** A cgroup CPU quota on the whole system under test; absent: its pinned cores, unrestricted. */
  budgetCores?: number;
}

/** What reached the servers during the measured window (deltas); null where not observable. */
export interface ServerCounts {
  /** Requests the origin instances answered (their /metrics, health and metrics routes excluded). */
  originRequests: number | null;
  /** The origin's Redis response cache, by outcome. */
  originCache: Record<"hit" | "miss" | "coalesced" | "bypass", number> | null;
  /** Statements Postgres executed for the app (pg_stat_statements calls). */
  dbStatements: number | null;
  /** Of those, inserts, updates and deletes. */
  dbWriteStatements: number | null;
  /** pg_stat_database: commits and rollbacks. */
  dbTransactions: number | null;
  /** pg_stat_database: rows inserted, updated and deleted. */
  dbRowsWritten: number | null;
  /** Redis total_commands_processed (commands a Lua script runs count one by one). */
  redisCommands: number | null;
  /** INFO commandstats, the commands that took Redis' one thread longest, longest first. */
  redisTopCommands: RedisCommandCost[] | null;
}

export interface RedisCommandCost {
  command: string;
  calls: number;
  /** Microseconds Redis spent executing them. */
  usec: number;
}

/** Highest values seen by 1 s samples during the window. */
export interface CellPeaks {
  dbConnections: number | null;
  /** Queries waiting for a pool connection, summed over the origin workers. */
  poolWaiting: number | null;
  /** nodejs_eventloop_lag_p99 of the busiest instance. */
  eventLoopLagP99Ms: number | null;
}

export interface CellResult extends CellPlan {
  /** The generator's exact command line (the topology is the cell's; see the bench command). */
  command: string;
  /** Measured runs of this cell; a disturbed run is repeated once when time allows, the calmer one kept. */
  attempts: number;
  /** From the load's first step to the generator's exit. */
  windowSeconds: number;
  summary: LoadSummary;
  server: ServerCounts;
  /** CPU milliseconds per tier in the window, from /proc/<pid>/stat of each process tree; null when not ours. */
  cpuMs: Partial<Record<Tier, number>> | null;
  generatorCpuMs: number | null;
  placement: { sutCores: number[]; generatorCores: number[]; shared: boolean };
  /** Cores' worth of CPU used by processes that are not the bench's, averaged over the window. */
  foreignCores: number | null;
  /** Cores' worth of steal: CPU the hypervisor gave to other guests while this one wanted it. */
  stealCores: number | null;
  /** foreignCores plus stealCores above the disturbance threshold: read the cell with care. */
  disturbed: boolean;
  peaks: CellPeaks;
}

export interface SkippedCell {
  id: string;
  reason: string;
}

export interface BenchResults {
  schema: typeof benchResultsSchema;
  startedAt: string;
  finishedAt: string;
  /** How the run was started, e.g. `npm run bench -- --profile small`. */
  command: string;
  profile: {
    name: string;
    measureSeconds: number;
    warmupSeconds: number;
    connections: number;
    saturationRate: number;
    disturbedAboveCores: number;
    /** How long a cell could wait for other processes to go quiet before its measurement (0: not at all). */
    quietWaitSeconds: number;
  };
  machine: { cores: number; cpuModel: string; node: string; kernel: string };
  /** Stack settings every cell shared (database size, pools, NGINX workers, origin env). */
  stack: {
    mode: "own" | "external";
    seed: { users: number; articles: number; comments: number; favorites: number; follows: number } | null;
    seedReused: boolean | null;
    dbPoolMax: number | null;
    postgresMaxConnections: number | null;
    nginxWorkers: number | null;
    notes: string[];
  };
  cells: CellResult[];
  skipped: SkippedCell[];
}
