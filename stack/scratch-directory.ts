import { chmod, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * A new temporary directory that other users may enter. mkdtemp makes it private, and as
 * root the stack runs Postgres and PgBouncer as `postgres` and NGINX's workers as `nobody`,
 * which must reach their own files inside it.
 */
export const scratchDirectory = async (prefix: string): Promise<string> => {
  const directory = await mkdtemp(path.join(tmpdir(), prefix));
  await chmod(directory, 0o755);
  return directory;
};
