import type { RouteConfig } from "@hono/zod-openapi";
import type { AuthRule } from "../http/auth-rule.ts";
import type { CachePolicy } from "../http/cache-policy.ts";

/** A route in one place: its OpenAPI definition, who may call it and how it may be cached. */
export interface RouteContract<R extends RouteConfig = RouteConfig> {
  route: R;
  auth: AuthRule;
  cache: CachePolicy;
}

export const defineRoute = <R extends RouteConfig>(contract: RouteContract<R>): RouteContract<R> => contract;
