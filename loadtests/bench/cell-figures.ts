import type { CellResult, Tier } from "./bench-results.ts";
import { tiers } from "./bench-results.ts";

/**
 * The figures the reports show for a cell, derived from its raw measurements: per client
 * request, how much reached the origin, Postgres and Redis, and how much CPU each tier
 * spent. A generator that used nearly all of its cores was the limit, not the server.
 */
export interface CellFigures {
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  errorRate: number;
  edgeHitRatio: number | null;
  /** Redis response cache at the origin: hits among hit, miss and coalesced reads. */
  originCacheHitRatio: number | null;
  originRequestsPerRequest: number | null;
  dbStatementsPerRequest: number | null;
  dbStatementsPerOriginRequest: number | null;
  dbWritesPerRequest: number | null;
  redisCommandsPerRequest: number | null;
  cpuMsPerRequest: Partial<Record<Tier, number>> | null;
  /** Every tier's CPU per client request together. */
  sutCpuMsPerRequest: number | null;
  /** Cores' worth the system under test used over the measured window (load plus the generator's wind-down). */
  sutCoresUsed: number | null;
  generatorCoresUsed: number | null;
  generatorBound: boolean;
}

/** A generator past this share of its cores could not have sent more. */
export const generatorBoundShare = 0.9;

const perRequest = (count: number | null, requests: number) =>
  count === null || requests === 0 ? null : count / requests;

export const cellFigures = (cell: CellResult): CellFigures => {
  const requests = cell.summary.requests.total;
  const loadMs = cell.windowSeconds * 1000;
  const cache = cell.server.originCache;
  const cacheReads = cache ? cache.hit + cache.miss + cache.coalesced : 0;
  const cpuMsPerRequest = cell.cpuMs
    ? Object.fromEntries(
        tiers.flatMap((tier) => {
          const ms = cell.cpuMs?.[tier];
          return ms === undefined || requests === 0 ? [] : [[tier, ms / requests]];
        }),
      )
    : null;
  const sutMs = cell.cpuMs ? Object.values(cell.cpuMs).reduce((sum, ms) => sum + ms, 0) : null;
  const generatorCoresUsed = cell.generatorCpuMs === null || loadMs === 0 ? null : cell.generatorCpuMs / loadMs;
  return {
    throughput: cell.summary.requests.throughput,
    p50: cell.summary.latencyMs.p50,
    p95: cell.summary.latencyMs.p95,
    p99: cell.summary.latencyMs.p99,
    errorRate: cell.summary.requests.errorRate,
    edgeHitRatio: cell.target === "origin" ? null : (cell.summary.cache?.hitRatio ?? null),
    originCacheHitRatio: cache && cacheReads > 0 ? cache.hit / cacheReads : null,
    originRequestsPerRequest: perRequest(cell.server.originRequests, requests),
    dbStatementsPerRequest: perRequest(cell.server.dbStatements, requests),
    dbStatementsPerOriginRequest:
      cell.server.dbStatements === null || !cell.server.originRequests
        ? null
        : cell.server.dbStatements / cell.server.originRequests,
    dbWritesPerRequest: perRequest(cell.server.dbWriteStatements, requests),
    redisCommandsPerRequest: perRequest(cell.server.redisCommands, requests),
    cpuMsPerRequest,
    sutCpuMsPerRequest: sutMs === null || requests === 0 ? null : sutMs / requests,
    sutCoresUsed: sutMs === null || loadMs === 0 ? null : sutMs / loadMs,
    generatorCoresUsed,
    generatorBound:
      generatorCoresUsed !== null && generatorCoresUsed >= generatorBoundShare * cell.placement.generatorCores.length,
  };
};
