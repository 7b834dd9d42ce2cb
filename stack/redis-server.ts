import { mkdir } from "node:fs/promises";
import { createConnection } from "node:net";
import { type ManagedProcess, startProcess } from "./managed-process.ts";

/**
 * A private `redis-server` from PATH on a loopback port, for the start command and the
 * tests when no REDIS_URL is given. It keeps an append-only file in `dir`, fsynced every
 * second: the purge jobs it queues must survive a Redis restart (the cache and the limits
 * would not need it). No memory limit, hence no eviction: BullMQ needs its keys kept.
 * In production, a cache Redis (evicting) and a queue Redis (noeviction) can be split.
 */
export interface RunningRedis {
  url: string;
  process: ManagedProcess;
  stop: () => Promise<void>;
}

export interface RedisServerOptions {
  port: number;
  /** Its working directory: the append-only file lives there. */
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
      "--save",
      "",
      "--appendonly",
      "yes",
      "--appendfsync",
      "everysec",
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
