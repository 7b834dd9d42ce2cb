import type { MiddlewareHandler } from "hono";
import { decodeJwt } from "jose";
import type { Logger } from "pino";
import type { AppEnv } from "../../shared/app/app-env.ts";
import { type TokenService, tokenFromAuthorizationHeader } from "../../shared/auth/token.ts";
import type { RouteContract } from "../../shared/routes/route-contract.ts";
import type { ReadRouting } from "../db/read-routing.ts";
import type { RecentWriters } from "./recent-writers.ts";

/**
 * Decides, per request, whether its selects may go to a replica, before anything queries
 * (the token check included). The primary serves:
 * - every query of a write (POST, PUT, DELETE), so a write reads what it just changed;
 * - a signed-in user's reads for `windowMs` after they wrote (recorded in Redis when the
 *   write's response leaves) or after their token was issued (registration and login write
 *   or precede a write, and carry no user id before the token exists);
 * - a signed-in user's reads whenever Redis cannot say, since it might hold their write.
 * The window is at least the replica lag bound, so when it ends every replica allowed to
 * serve holds the write (docs/beyond-one-machine.md has the argument).
 */
export interface ReadYourWritesOptions {
  readRouting: ReadRouting;
  recentWriters: RecentWriters;
  /** Signature checks only: the route's own auth rule still decides access. */
  tokens: TokenService;
  windowMs: number;
  logger: Logger;
  /** Wall-clock ms, the clock tokens' `iat` is written with. */
  now?: () => number;
}

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

interface Presenter {
  userId: number;
  issuedAtMs: number;
}

const presenterOf = async (tokens: TokenService, authorization: string | undefined): Promise<Presenter | undefined> => {
  const presented = tokenFromAuthorizationHeader(authorization);
  if (presented.kind !== "token") return undefined;
  const check = await tokens.verify(presented.token);
  if (!check.ok) return undefined;
  // `iat` has second precision: count from the end of that second, the latest it can mean.
  const issuedAt = decodeJwt(presented.token).iat ?? 0;
  return { userId: check.auth.userId, issuedAtMs: (issuedAt + 1) * 1_000 };
};

export const readYourWrites = (options: ReadYourWritesOptions): MiddlewareHandler<AppEnv> => {
  const now = options.now ?? Date.now;
  const wroteRecently = async (presenter: Presenter) => {
    if (now() < presenter.issuedAtMs + options.windowMs) return true;
    try {
      return await options.recentWriters.wroteRecently(presenter.userId);
    } catch {
      return true;
    }
  };

  return async (c, next) => {
    const presenter = await presenterOf(options.tokens, c.req.header("authorization"));
    const reads = safeMethods.has(c.req.method);
    const replicaAllowed = reads && (presenter === undefined || !(await wroteRecently(presenter)));
    await options.readRouting.run(replicaAllowed ? "replica" : "primary", next);
    // Failed writes too: a write may commit before a later step fails.
    if (reads || presenter === undefined) return;
    try {
      await options.recentWriters.markWrote(presenter.userId);
    } catch (error) {
      options.logger.warn(
        { err: error, userId: presenter.userId },
        "could not record a write in Redis: this user's next reads may miss it until replicas catch up",
      );
    }
  };
};

/**
 * Route middleware: an anonymous read of a cacheable route is built from the primary, since
 * shared caches (the origin's Redis cache, NGINX, the edge) store it and a purge cannot reach
 * staleness it did not see: the write's purge comes before a lagging replica has the write.
 */
export const sharedCacheReadsFromPrimary = (
  contract: RouteContract,
  readRouting: ReadRouting,
): MiddlewareHandler<AppEnv>[] =>
  contract.cache.kind === "cacheable"
    ? [
        async (c, next) => {
          if (c.get("auth") === null) readRouting.usePrimary();
          await next();
        },
      ]
    : [];
