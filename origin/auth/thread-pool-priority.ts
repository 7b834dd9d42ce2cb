import { access, readdir, readFile } from "node:fs/promises";
import { setPriority } from "node:os";
import type { Logger } from "pino";

/**
 * Lowers the CPU priority of this process's libuv pool threads, where password hashes run,
 * so that on a busy core the event loop (every other request) is scheduled first and the
 * hashes take what is left. Linux names the pool threads `libuv-worker` and lets a thread's
 * nice value be raised without privileges; elsewhere this does nothing and says so.
 */
export const lowerThreadPoolPriority = async (nice: number, logger: Logger): Promise<void> => {
  if (nice === 0) return;
  try {
    // The pool starts its threads on first use: one file-system call makes them exist.
    await access(".");
    const tasks = await readdir("/proc/self/task");
    const names = await Promise.all(tasks.map((tid) => readFile(`/proc/self/task/${tid}/comm`, "utf8")));
    const poolThreads = tasks.filter((_, index) => names[index]?.trim() === "libuv-worker");
    for (const tid of poolThreads) setPriority(Number(tid), nice);
    logger.debug({ threads: poolThreads.length, nice }, "libuv pool threads deprioritised");
  } catch (error) {
    logger.warn({ err: error }, "could not lower the libuv pool's priority: hashes compete with the event loop");
  }
};
