import { hash, verify } from "@node-rs/argon2";

/**
 * Argon2id with the library's defaults (19 MiB, 2 passes: OWASP's baseline). It runs on
 * libuv's thread pool, so a hash never blocks the event loop of the worker.
 */
export const hashPassword = (password: string): Promise<string> => hash(password);

/**
 * The same hash for the same salt: only the seed uses it, so that one seed always makes the
 * same rows. Never for real sign-ups, whose salts must be random.
 */
export const hashPasswordWithFixedSalt = (password: string, salt: Uint8Array): Promise<string> =>
  hash(password, { salt });

/** A hash of a random password, verified against when the email is unknown, so timing does not reveal which emails exist. */
const decoyHash = hash(crypto.randomUUID());

export const verifyPassword = async (passwordHash: string | undefined, password: string): Promise<boolean> => {
  if (passwordHash === undefined) {
    await verify(await decoyHash, password);
    return false;
  }
  return verify(passwordHash, password);
};
