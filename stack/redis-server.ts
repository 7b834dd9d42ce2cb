import { mkdir } from "node:fs/promises";
import { createConnection } from "node:net";
import { type ManagedProcess, startProcess } from "./managed-process.ts";

/**
 * A private `redis-server` from PATH on a loopback port, for the start command and the
 * tests when no REDIS_URL is given. It keeps nothing on disk: the cache, limits and queue
 * state it holds are rebuilt or re-sent after a restart (see docs/architecture.md).
 */
export interface RunningRedis {
  url: string;
  process: ManagedProcess;
  stop: () => Promise<void>;
}

export interface RedisServerOptions {
  port: number;
  /** Its working directory (it writes no dump there, but needs one). */
  dir: string;
  name?: string;
  onLog?: (line: string) => void;
}

export const redisServerBinary = "redis-server";

const answersPing = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.setTimeout(500);
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => {
      socket.destroy();
      resolve(data.toString().startsWith("+PONG"));
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });

export const startRedisServer = async (options: RedisServerOptions): Promise<RunningRedis> => {
  await mkdir(options.dir, { recursive: true });
  const server = startProcess({
    name: options.name ?? "redis",
    command: redisServerBinary,
    args: [
      "--port",
      String(options.port),
      "--bind",
      "127.0.0.1",
      "--dir",
      options.dir,
      // No snapshots and no append-only file: nothing here must survive a restart.
      "--save",
      "",
      "--appendonly",
      "no",
      // Cache entries carry TTLs; under memory pressure the ones closest to expiry go first,
      // and keys without a TTL (queue, limits) are never evicted.
      "--maxmemory-policy",
      "volatile-ttl",
    ],
    output: options.onLog ?? "ignore",
  });
  const deadline = Date.now() + 10_000;
  let exited = false;
  void server.exited.then(() => {
    exited = true;
  });
  while (!(await answersPing(options.port))) {
    if (exited) throw new Error(`${redisServerBinary} exited before answering; is the redis-server package installed?`);
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`${redisServerBinary} did not answer on port ${options.port} within 10 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url: `redis://127.0.0.1:${options.port}`, process: server, stop: () => server.stop() };
};
