import type { MiddlewareHandler } from "hono";
import type { Logger } from "pino";
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import type { AppEnv } from "../../shared/app/app-env.ts";
import { AppError } from "../../shared/errors/app-error.ts";
import type { Config } from "../config.ts";
import type { WorkerMetrics } from "../observability/worker-metrics.ts";
import type { RedisConnection } from "../redis/redis-connection.ts";
import type { ClientAddressOf } from "./client-address.ts";

/**
 * Request limits per client IP (every API request) and per signed-in user, counted in
 * Redis so they hold across every worker and instance (rate-limiter-flexible). When Redis
 * cannot decide (unreachable, or no answer within the connection's command timeout) the
 * policy is a setting: `local` counts per worker meanwhile (an honest client still never
 * meets it; an abusive one gets N workers' worth), `allow` lets the request through. Each
 * such decision counts in rate_limit_fallbacks_total: the limits are exact while it stays 0.
 */
export interface RateLimits {
  perIp: MiddlewareHandler<AppEnv>;
  perUser: MiddlewareHandler<AppEnv>;
}

interface RateLimitDeps {
  config: Config["rateLimit"];
  redis: RedisConnection | undefined;
  metrics: WorkerMetrics;
  logger: Logger;
  clientAddressOf: ClientAddressOf;
}

interface Limiter {
  shared: RateLimiterAbstract;
  /** Decides when `shared` cannot; `undefined`: let the request through (`allow`). */
  fallback: RateLimiterAbstract | undefined;
}

const limiter = (deps: RateLimitDeps, keyPrefix: string, points: number): Limiter => {
  const shape = { points, duration: deps.config.windowSeconds, keyPrefix };
  if (!deps.redis) return { shared: new RateLimiterMemory(shape), fallback: undefined };
  // Not the library's insuranceLimiter: it takes over silently, and a fallback must be counted.
  return {
    // Straight to the fallback while disconnected, rather than waiting for a timeout.
    shared: new RateLimiterRedis({ ...shape, storeClient: deps.redis, rejectIfRedisNotReady: true }),
    fallback: deps.config.whenRedisDown === "local" ? new RateLimiterMemory(shape) : undefined,
  };
};

const passThrough: MiddlewareHandler<AppEnv> = (_c, next) => next();

export const createRateLimits = (deps: RateLimitDeps): RateLimits => {
  if (!deps.config.enabled) return { perIp: passThrough, perUser: passThrough };
  const ipLimiter = limiter(deps, "conduit:rl:ip", deps.config.ipPoints);
  const userLimiter = limiter(deps, "conduit:rl:user", deps.config.userPoints);

  const refuse = (name: string, outcome: RateLimiterRes) => {
    deps.metrics.rateLimitRejections.inc({ limiter: name });
    return new AppError("rateLimited", { retryAfterSeconds: Math.max(1, Math.ceil(outcome.msBeforeNext / 1_000)) });
  };
  const consume = async (name: string, { shared, fallback }: Limiter, key: string) => {
    try {
      await shared.consume(key);
      return;
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) throw refuse(name, outcome);
      deps.metrics.rateLimitFallbacks.inc({ limiter: name });
      deps.logger.debug({ err: outcome, limiter: name }, "rate limit undecided by Redis: the fallback policy decides");
    }
    try {
      await fallback?.consume(key);
    } catch (outcome) {
      throw outcome instanceof RateLimiterRes ? refuse(name, outcome) : outcome;
    }
  };

  return {
    perIp: async (c, next) => {
      await consume("ip", ipLimiter, deps.clientAddressOf(c).ip);
      await next();
    },
    perUser: async (c, next) => {
      const auth = c.get("auth");
      if (auth) await consume("user", userLimiter, String(auth.userId));
      await next();
    },
  };
};
