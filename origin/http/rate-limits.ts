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
 * Redis so they hold across every worker and instance (rate-limiter-flexible). While
 * Redis is unreachable the policy is a setting: `local` counts per worker meanwhile (an
 * honest client still never meets it; an abusive one gets N workers' worth), `allow`
 * lets everything through.
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

const limiter = (deps: RateLimitDeps, keyPrefix: string, points: number): RateLimiterAbstract => {
  const shape = { points, duration: deps.config.windowSeconds, keyPrefix };
  if (!deps.redis) return new RateLimiterMemory(shape);
  return new RateLimiterRedis({
    ...shape,
    storeClient: deps.redis,
    // Straight to the fallback while disconnected, rather than waiting for a timeout.
    rejectIfRedisNotReady: true,
    ...(deps.config.whenRedisDown === "local" ? { insuranceLimiter: new RateLimiterMemory(shape) } : {}),
  });
};

const passThrough: MiddlewareHandler<AppEnv> = (_c, next) => next();

export const createRateLimits = (deps: RateLimitDeps): RateLimits => {
  if (!deps.config.enabled) return { perIp: passThrough, perUser: passThrough };
  const ipLimiter = limiter(deps, "conduit:rl:ip", deps.config.ipPoints);
  const userLimiter = limiter(deps, "conduit:rl:user", deps.config.userPoints);

  const consume = async (name: string, rateLimiter: RateLimiterAbstract, key: string) => {
    try {
      await rateLimiter.consume(key);
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) {
        deps.metrics.rateLimitRejections.inc({ limiter: name });
        throw new AppError("rateLimited", { retryAfterSeconds: Math.max(1, Math.ceil(outcome.msBeforeNext / 1_000)) });
      }
      // Only reachable with RATE_LIMIT_WHEN_REDIS_DOWN=allow: the store failed, let it through.
      deps.logger.debug({ err: outcome, limiter: name }, "rate limiter store unavailable: allowing");
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
