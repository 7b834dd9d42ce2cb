import type { SeedSizes } from "../../origin/seed/seed-plan.ts";
import type { BenchScenario, Topology } from "./bench-results.ts";

/**
 * How big a bench run is. `small` must finish end to end on the 2-core development machine
 * in under 15 minutes (smallProfileMinutesLimit, checked by the bench at its end); `full` is
 * for machines with cores to spare, and grows its worker counts and CPU budgets with them.
 */
export type ProfileName = "small" | "full";
export type EdgeRuntime = "deno" | "wrangler";

export interface BenchProfile {
  name: ProfileName;
  /**
   * Comments are capped well below the seed's default of five per article: the seed puts
   * them Zipf-distributed on the newest articles, and the origin's Cache-Tag header on a
   * comment list names every commenter, so the hottest list (6,843 comments at five per
   * article on 20,000 articles) sends a 43 KB header that NGINX's 16 KB proxy_buffer_size
   * rejects with 502, which also marks the instance failed. `--seed-comments 100000`
   * reproduces it; docs/scaling-report.md has the numbers.
   */
  seed: SeedSizes;
  /**
   * Once, before the first cell: the Redis response cache starts empty and every later cell
   * inherits it, so without this the first cell alone would pay for filling it.
   */
  primeSeconds: number;
  warmupSeconds: number;
  measureSeconds: number;
  connections: number;
  /** Offered rate of saturation runs: far above any capacity measured here, so the load is closed-loop. */
  saturationRate: number;
  scenarios: readonly BenchScenario[];
  workers: readonly number[];
  instances: readonly number[];
  /** The topology of the origin-only vs edge-fronted comparison and of the CPU budget curve. */
  comparisonTopology: Topology;
  budgets: readonly number[];
  edgeRuntimes: readonly EdgeRuntime[];
  /** A cell whose window saw more foreign CPU than this (cores) is marked disturbed and retried once. */
  disturbedAboveCores: number;
  /** Wall-clock limit the run plans within (retries are dropped when they would pass it). */
  timeLimitMinutes: number;
}

export const smallProfileMinutesLimit = 15;

/** 1, 2, 4, ... up to the cores the system under test has, always at least 1 and 2. */
const workerSteps = (sutCores: number): number[] => {
  const steps = [1, 2];
  for (let workers = 4; workers <= sutCores; workers *= 2) steps.push(workers);
  if (sutCores > 2 && !steps.includes(sutCores)) steps.push(sutCores);
  return steps;
};

export const benchProfile = (name: ProfileName, sutCores: number): BenchProfile => {
  const comparisonTopology = { instances: 2, workers: Math.max(1, Math.floor(sutCores / 2)) };
  if (name === "small") {
    return {
      name,
      seed: { users: 2_000, articles: 20_000, comments: 5_000 },
      primeSeconds: 15,
      warmupSeconds: 5,
      measureSeconds: 15,
      connections: 64,
      saturationRate: 50_000,
      scenarios: ["browse", "mixed"],
      workers: [1, 2],
      instances: [1, 2],
      comparisonTopology,
      budgets: [0.25, 0.5, 1, 1.5],
      edgeRuntimes: ["deno", "wrangler"],
      disturbedAboveCores: 0.15,
      timeLimitMinutes: smallProfileMinutesLimit - 1,
    };
  }
  const wholeCores = Array.from({ length: sutCores }, (_, index) => index + 1).filter((cores) => cores >= 2);
  return {
    name,
    seed: { users: 10_000, articles: 100_000, comments: 6_000 },
    primeSeconds: 60,
    warmupSeconds: 15,
    measureSeconds: 60,
    connections: 256,
    saturationRate: 200_000,
    scenarios: ["browse", "mixed"],
    workers: workerSteps(sutCores),
    instances: [1, 2],
    comparisonTopology,
    budgets: [0.25, 0.5, 1, 1.5, ...wholeCores],
    edgeRuntimes: ["deno", "wrangler"],
    disturbedAboveCores: 0.15,
    timeLimitMinutes: 240,
  };
};
