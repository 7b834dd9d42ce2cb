import type { RouteHandler } from "@hono/zod-openapi";
import type { AuthContext } from "../http/auth-rule.ts";
import type { CacheSubjects } from "../http/cache-policy.ts";
import type { RouteName, RouteTable } from "../routes/route-table.ts";

export interface AppVariables {
  /** Set by the auth rule of the route: `null` for anonymous requests. */
  auth: AuthContext | null;
  /** Handlers record facts that the route's invalidation declaration needs. */
  cacheSubjects: CacheSubjects;
  requestId: string;
}

export interface AppEnv {
  Variables: AppVariables;
}

/** What a tier supplies to run the API: one handler per route of the table. */
export type RouteHandlers = { [Name in RouteName]: RouteHandler<RouteTable[Name]["route"], AppEnv> };

/** The authenticated user of a route whose rule is `required`. */
export const requireAuth = (auth: AuthContext | null): AuthContext => {
  if (!auth) throw new Error("route declared auth 'required' but ran without a user");
  return auth;
};
