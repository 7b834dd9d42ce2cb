import type { Worker } from "node:cluster";
import type { Logger } from "pino";

/**
 * node:cluster's round-robin accepts each connection in the primary, sends it to a worker
 * over IPC, and closes its own copy only when that worker acknowledges. A worker killed
 * before it acknowledges never does, so the connection stays open with nobody to answer:
 * the client waits for its own timeout (NGINX's proxy_read_timeout is 35 s). The primary
 * sends a worker one connection at a time, so remembering the last one is enough: when the
 * worker is gone, closing it resets the client at once, like every other request that was on
 * the dead worker, and NGINX retries it elsewhere if it is idempotent.
 *
 * This relies on Node's internal `newconn` message (lib/internal/cluster/round_robin_handle.js);
 * the kill -9 test in test/scale/worker-lifecycle.test.ts fails if Node changes it.
 */
interface ClosableHandle {
  close: () => void;
}

/** The worker each connection went to last: a worker shutting down hands it back for another. */
const lastRecipient = new WeakMap<ClosableHandle, number>();

export const guardConnectionHandoffs = (worker: Worker, logger: Logger) => {
  let unacknowledged: ClosableHandle | undefined;
  const send = worker.process.send.bind(worker.process) as (...args: unknown[]) => boolean;
  worker.process.send = ((message: unknown, handle?: unknown, ...rest: unknown[]) => {
    if (isConnectionHandoff(message) && isClosable(handle)) {
      unacknowledged = handle;
      lastRecipient.set(handle, worker.id);
    }
    return send(message, handle, ...rest);
  }) as typeof worker.process.send;

  const closeUnacknowledged = () => {
    // Closing one the primary already closed on acknowledgement does nothing.
    if (unacknowledged && lastRecipient.get(unacknowledged) === worker.id) unacknowledged.close();
  };
  // Handoffs can still happen between the two events, whichever comes first.
  worker.process.once("exit", closeUnacknowledged);
  worker.process.once("disconnect", closeUnacknowledged);

  // A handoff written to a worker that just died fails with EPIPE, which Node emits as an
  // 'error' on the worker: unhandled, it would end the primary and every other worker.
  worker.on("error", (error: Error) => logger.warn({ worker: worker.id, err: error }, "IPC to a worker failed"));
};

const isConnectionHandoff = (message: unknown) =>
  typeof message === "object" && message !== null && (message as { act?: unknown }).act === "newconn";

const isClosable = (handle: unknown): handle is ClosableHandle =>
  typeof handle === "object" && handle !== null && typeof (handle as ClosableHandle).close === "function";
