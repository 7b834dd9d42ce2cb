import { eq } from "drizzle-orm";
import type { TokenService } from "../../shared/auth/token.ts";
import type { Db } from "../db/client.ts";
import { postgresIntegerMax } from "../db/postgres-limits.ts";
import { users } from "../db/schema.ts";

/**
 * A signature proves who issued a token, not that its user still exists. The origin holds
 * the user table, so it also refuses tokens whose user is gone (or could never exist),
 * before any handler writes rows that would point at nobody.
 */
export const knownUserTokens = (tokens: TokenService, db: Db): TokenService => ({
  sign: tokens.sign,
  verify: async (token) => {
    const check = await tokens.verify(token);
    if (!check.ok) return check;
    if (check.auth.userId > postgresIntegerMax) return { ok: false, reason: "invalid" };
    const [row] = await db.select({ id: users.id }).from(users).where(eq(users.id, check.auth.userId));
    return row ? check : { ok: false, reason: "invalid" };
  },
});
