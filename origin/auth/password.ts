import { hash, verify } from "@node-rs/argon2";
import pLimit from "p-limit";
import { AppError } from "../../shared/errors/app-error.ts";

/**
 * Argon2id with the library's defaults (19 MiB, 2 passes: OWASP's baseline), about 20 ms
 * of CPU per hash. The library hashes on libuv's thread pool, so the event loop is never
 * blocked outright; but a login storm with four pool threads per worker gives the event
 * loop a fifth of its core, and every other route waits (docs/benchmarks/login-storm.md).
 * So hashes are limited per worker (`concurrency`, and the pool is sized for it, see
 * cluster/primary.ts) and queue up to `maxQueued`; past that a login is refused with a 503
 * at once rather than waiting for a slot it would not get before its client gave up.
 */
export interface PasswordHasherSettings {
  concurrency: number;
  maxQueued: number;
}

export interface PasswordHasher {
  hash: (password: string) => Promise<string>;
  /** `undefined` hash: the email is unknown; a decoy is verified so timing does not tell. */
  verify: (passwordHash: string | undefined, password: string) => Promise<boolean>;
}

export const createPasswordHasher = (settings: PasswordHasherSettings): PasswordHasher => {
  const limit = pLimit(settings.concurrency);
  const decoyHash = hash(crypto.randomUUID());
  const bounded = <T>(work: () => Promise<T>): Promise<T> => {
    const full = limit.activeCount >= settings.concurrency && limit.pendingCount >= settings.maxQueued;
    if (full) return Promise.reject(new AppError("passwordCheckBusy", { retryAfterSeconds: 1 }));
    return limit(work);
  };
  return {
    hash: (password) => bounded(() => hash(password)),
    verify: (passwordHash, password) =>
      bounded(async () => {
        if (passwordHash !== undefined) return verify(passwordHash, password);
        await verify(await decoyHash, password);
        return false;
      }),
  };
};

/**
 * The same hash for the same salt: only the seed uses it, so that one seed always makes the
 * same rows. Never for real sign-ups, whose salts must be random.
 */
export const hashPasswordWithFixedSalt = (password: string, salt: Uint8Array): Promise<string> =>
  hash(password, { salt });

/** Checks a stored hash without a limiter, for tools and tests outside a worker. */
export const verifyPasswordHash = (passwordHash: string, password: string): Promise<boolean> =>
  verify(passwordHash, password);
