import type { Worker } from "node:cluster";
import type { Logger } from "pino";
import type { PrimaryToWorker } from "./messages.ts";

/**
 * The primary's workers and the one way they are replaced: fork the new worker, wait until
 * it reports ready, only then drain the old one and wait for it to exit. Replacements run
 * one at a time (a reload and a memory recycle never overlap), so capacity never drops
 * below the configured worker count. A new worker that is not ready in time is killed and
 * the old one kept: a bad deploy stops at the first worker instead of replacing them all.
 */
export interface WorkerPoolOptions {
  fork: () => Worker;
  readyTimeoutMs: number;
  drainTimeoutMs: number;
  logger: Logger;
}

type WorkerState = "starting" | "ready" | "retiring";

export class WorkerPool {
  readonly #options: WorkerPoolOptions;
  readonly #states = new Map<Worker, WorkerState>();
  readonly #readyWaiters = new Map<Worker, () => void>();
  /** Workers we asked to go, so their exit is not taken for a crash. */
  readonly #retired = new WeakSet<Worker>();
  #replacing: Promise<unknown> = Promise.resolve();

  constructor(options: WorkerPoolOptions) {
    this.#options = options;
  }

  add(): Worker {
    const worker = this.#options.fork();
    this.#states.set(worker, "starting");
    worker.once("exit", () => {
      this.#states.delete(worker);
      this.#readyWaiters.get(worker)?.();
    });
    return worker;
  }

  markReady(worker: Worker) {
    if (this.#states.get(worker) !== "starting") return;
    this.#states.set(worker, "ready");
    this.#options.logger.info({ worker: worker.id }, "worker ready");
    this.#readyWaiters.get(worker)?.();
  }

  size(): number {
    return this.#states.size;
  }

  /** The workers not already on their way out. */
  current(): Worker[] {
    return [...this.#states].filter(([, state]) => state !== "retiring").map(([worker]) => worker);
  }

  wasRetired(worker: Worker): boolean {
    return this.#retired.has(worker);
  }

  /** Replaces each given worker in turn; resolves with how many were replaced. */
  replace(workers: Worker[]): Promise<number> {
    const run = this.#replacing.then(async () => {
      let replaced = 0;
      for (const old of workers) {
        if (!this.#states.has(old) || this.#states.get(old) === "retiring") continue;
        if (!(await this.#replaceOne(old))) break;
        replaced++;
      }
      return replaced;
    });
    this.#replacing = run;
    return run;
  }

  async #replaceOne(old: Worker): Promise<boolean> {
    const fresh = this.add();
    if (!(await this.#whenReady(fresh))) {
      this.#options.logger.error(
        { worker: fresh.id, readyTimeoutMs: this.#options.readyTimeoutMs },
        "replacement worker never became ready: keeping the old one, stopping the replacement",
      );
      this.#retired.add(fresh);
      fresh.kill("SIGKILL");
      return false;
    }
    await this.#retire(old);
    return true;
  }

  #whenReady(worker: Worker): Promise<boolean> {
    return new Promise((resolve) => {
      const settle = () => {
        clearTimeout(timer);
        this.#readyWaiters.delete(worker);
        resolve(this.#states.get(worker) === "ready");
      };
      const timer = setTimeout(settle, this.#options.readyTimeoutMs);
      this.#readyWaiters.set(worker, settle);
    });
  }

  /** Asks a worker to drain and waits for it to exit; kills it if it overstays. */
  async #retire(worker: Worker): Promise<void> {
    if (worker.isDead()) return;
    this.#retired.add(worker);
    this.#states.set(worker, "retiring");
    const exited = new Promise((resolve) => worker.once("exit", resolve));
    if (worker.isConnected()) worker.send({ type: "drain" } satisfies PrimaryToWorker);
    const overstayed = setTimeout(() => {
      if (!worker.isDead()) worker.kill("SIGKILL");
    }, this.#options.drainTimeoutMs);
    await exited;
    clearTimeout(overstayed);
  }

  drainAll(): Promise<unknown> {
    return Promise.all([...this.#states.keys()].map((worker) => this.#retire(worker)));
  }
}
