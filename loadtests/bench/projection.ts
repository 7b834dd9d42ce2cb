import type { Tier } from "./bench-results.ts";

/**
 * PROJECTED, not measured: what N cores or M machines would carry, from the CPU each tier
 * spent per client request in a measured cell. The model, stated in every report:
 *
 * - vertical: one machine of N cores runs every tier; they share its cores;
 * - horizontal: M app machines of N cores run the stateless tiers (edge, NGINX, origin),
 *   one data machine of N cores runs Postgres and Redis;
 * - CPU per request stays what it was measured at, and every tier scales linearly with the
 *   cores it gets, except Redis, which executes commands on one thread (at most one core);
 * - Postgres has no replicas, so its reads and writes share its cores;
 * - throughput is the smallest capacity, which names the bottleneck.
 *
 * It ignores what one machine cannot show: network latency between machines, lock and I/O
 * waits that grow with concurrency, and the cache hit ratio changing with traffic.
 */
export const projectionModel =
  "PROJECTED from measured CPU ms per request: vertical = min(N x 1000 / all tiers' ms, 1000 / Redis ms); " +
  "horizontal = min(M x N x 1000 / (edge+NGINX+origin ms), N x 1000 / Postgres ms, 1000 / Redis ms) with " +
  "Postgres and Redis on one data machine of N cores; linear in cores, Redis on one thread, no replicas.";

export type ProjectionLimit = "all tiers' CPU" | "app CPU" | "Postgres CPU" | "Redis (one thread)";

export interface ProjectionLayout {
  /** 1 with `dataMachine: false`: everything on one machine. */
  appMachines: number;
  coresPerMachine: number;
  /** Postgres and Redis on a machine of their own (same core count). */
  dataMachine: boolean;
}

export interface Projection extends ProjectionLayout {
  requestsPerSecond: number;
  limitedBy: ProjectionLimit;
}

const appTiers: readonly Tier[] = ["edge", "nginx", "origin"];

const capacity = (cores: number, ms: number) => (ms > 0 ? (cores * 1000) / ms : Number.POSITIVE_INFINITY);

export const project = (cpuMsPerRequest: Partial<Record<Tier, number>>, layout: ProjectionLayout): Projection => {
  const ms = (tier: Tier) => cpuMsPerRequest[tier] ?? 0;
  const appMs = appTiers.reduce((sum, tier) => sum + ms(tier), 0);
  const redis: [ProjectionLimit, number] = ["Redis (one thread)", capacity(1, ms("redis"))];
  const limits: [ProjectionLimit, number][] = layout.dataMachine
    ? [
        ["app CPU", capacity(layout.appMachines * layout.coresPerMachine, appMs)],
        // Redis takes at most one of the data machine's cores from Postgres.
        ["Postgres CPU", capacity(Math.max(1, layout.coresPerMachine - (ms("redis") > 0 ? 1 : 0)), ms("postgres"))],
        redis,
      ]
    : [["all tiers' CPU", capacity(layout.coresPerMachine, appMs + ms("postgres") + ms("redis"))], redis];
  const [limitedBy, requestsPerSecond] = limits.reduce((low, next) => (next[1] < low[1] ? next : low));
  return { ...layout, requestsPerSecond, limitedBy };
};

/** The grid every report shows: one machine of 2 to 16 cores, then 2 to 8 app machines of 8 cores. */
export const projectionGrid: readonly ProjectionLayout[] = [
  { appMachines: 1, coresPerMachine: 2, dataMachine: false },
  { appMachines: 1, coresPerMachine: 4, dataMachine: false },
  { appMachines: 1, coresPerMachine: 8, dataMachine: false },
  { appMachines: 1, coresPerMachine: 16, dataMachine: false },
  { appMachines: 2, coresPerMachine: 8, dataMachine: true },
  { appMachines: 4, coresPerMachine: 8, dataMachine: true },
  { appMachines: 8, coresPerMachine: 8, dataMachine: true },
];

export const layoutLabel = (layout: ProjectionLayout): string =>
  layout.dataMachine
    ? `${layout.appMachines} app machines x ${layout.coresPerMachine} cores + data machine (${layout.coresPerMachine} cores)`
    : `1 machine x ${layout.coresPerMachine} cores`;

/**
 * Postgres connections the origin pools may open: instances x workers x pool per worker,
 * which must stay below max_connections less headroom (README, "Your own Postgres").
 */
export const poolConnections = (instances: number, workers: number, poolMax: number): number =>
  instances * workers * poolMax;

export const maxWorkersForConnections = (maxConnections: number, headroom: number, poolMax: number): number =>
  Math.max(0, Math.floor((maxConnections - headroom) / poolMax));
