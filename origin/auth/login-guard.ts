import type { MiddlewareHandler } from "hono";
import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";
import type { AppEnv } from "../../shared/app/app-env.ts";
import { AppError } from "../../shared/errors/app-error.ts";
import type { Config } from "../config.ts";
import type { ClientAddressOf } from "../http/client-address.ts";
import type { WorkerMetrics } from "../observability/worker-metrics.ts";
import type { RedisConnection } from "../redis/redis-connection.ts";

/**
 * Password guessing limits on POST /api/users/login, counted in Redis across the cluster
 * (rate-limiter-flexible's login-protection pattern): failures per email and address, per
 * email from anywhere, and per address for any email. A limited sign-in is refused before
 * its password is hashed, so guessing also stops costing CPU. A success clears the email's
 * counts, so a user who mistyped a few times is not held back.
 *
 * The per-email limit lets anyone hold a known email's sign-ins back for the window: the
 * usual price of stopping distributed guessing; its default is set high for that reason.
 */
interface LoginGuardDeps {
  config: Config["loginGuard"];
  redis: RedisConnection | undefined;
  metrics: WorkerMetrics;
  clientAddressOf: ClientAddressOf;
}

const passThrough: MiddlewareHandler<AppEnv> = (_c, next) => next();

export const createLoginGuard = (deps: LoginGuardDeps): MiddlewareHandler<AppEnv> => {
  if (!deps.config.enabled) return passThrough;
  const limiter = (keyPrefix: string, points: number) => {
    const shape = { keyPrefix, points, duration: deps.config.windowSeconds };
    return deps.redis
      ? new RateLimiterRedis({
          ...shape,
          storeClient: deps.redis,
          rejectIfRedisNotReady: true,
          insuranceLimiter: new RateLimiterMemory(shape),
        })
      : new RateLimiterMemory(shape);
  };
  const limits = [
    {
      name: "login-account-ip",
      limiter: limiter("conduit:login:account-ip", deps.config.perAccountAndIp),
      key: (email: string, ip: string) => `${email}|${ip}`,
    },
    {
      name: "login-account",
      limiter: limiter("conduit:login:account", deps.config.perAccount),
      key: (email: string) => email,
    },
    {
      name: "login-ip",
      limiter: limiter("conduit:login:ip", deps.config.perIp),
      key: (_email: string, ip: string) => ip,
    },
  ];

  return async (c, next) => {
    const email = await emailOf(c.req.raw.clone());
    if (email === undefined) return next();
    const { ip } = deps.clientAddressOf(c);
    const states = await Promise.all(limits.map(({ limiter: l, key }) => l.get(key(email, ip)).catch(() => null)));
    const exhausted = limits.flatMap((limit, index) => {
      const state = states[index];
      return state && state.remainingPoints <= 0 ? [{ limit, state }] : [];
    });
    if (exhausted.length > 0) {
      const waitMs = Math.max(...exhausted.map(({ state }) => state.msBeforeNext));
      for (const { limit } of exhausted) deps.metrics.rateLimitRejections.inc({ limiter: limit.name });
      throw new AppError("rateLimited", { retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1_000)) });
    }
    await next();
    // Recording a failure may exhaust a limit (that is the point) or find Redis away (the
    // insurance limiter counted it); neither changes this response.
    if (c.res.status === 401) {
      await Promise.all(limits.map(({ limiter: l, key }) => l.consume(key(email, ip)).catch(() => {})));
    } else if (c.res.status === 200) {
      // Only whoever knows the password can clear the account's counts; the address's
      // count stays, or one valid account would reset a stuffing run's budget at will.
      await Promise.all(
        limits
          .filter(({ name }) => name !== "login-ip")
          .map(({ limiter: l, key }) => l.delete(key(email, ip)).catch(() => {})),
      );
    }
  };
};

/** The email a sign-in is for, normalised as the users table compares it; the body is validated later. */
const emailOf = async (request: Request): Promise<string | undefined> => {
  try {
    const body = (await request.json()) as { user?: { email?: unknown } };
    const email = body?.user?.email;
    return typeof email === "string" && email.trim() !== "" ? email.trim().toLowerCase() : undefined;
  } catch {
    return undefined;
  }
};
