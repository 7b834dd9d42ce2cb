import type { TokenService } from "../shared/auth/token.ts";
import type { PasswordHasher } from "./auth/password.ts";
import type { Db } from "./db/client.ts";

/** What the origin's handlers need; tests build it with their own database. */
export interface OriginDeps {
  db: Db;
  tokens: TokenService;
  passwords: PasswordHasher;
}
