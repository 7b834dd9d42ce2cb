import type { MiddlewareHandler } from "hono";
import { type TokenService, tokenFromAuthorizationHeader } from "../auth/token.ts";
import { AppError } from "../errors/app-error.ts";
import type { AuthRule } from "../http/auth-rule.ts";
import type { AppEnv } from "./app-env.ts";

/**
 * Applies a route's auth rule before validation, so a missing token is a 401 even when
 * the body or the slug is also wrong (the suite checks that 401 wins).
 */
export const authMiddleware =
  (rule: AuthRule, tokens: TokenService): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    c.set("auth", null);
    if (rule !== "none") {
      const presented = tokenFromAuthorizationHeader(c.req.header("authorization"));
      if (presented.kind === "absent") {
        if (rule === "required") throw new AppError("tokenMissing");
      } else if (presented.kind === "malformed") {
        throw new AppError("tokenInvalid");
      } else {
        const check = await tokens.verify(presented.token);
        if (!check.ok) throw new AppError("tokenInvalid");
        c.set("auth", check.auth);
      }
    }
    await next();
  };
