import type { Worker } from "node:cluster";
import type { Logger } from "pino";

/**
 * node:cluster's round-robin accepts each connection in the primary, sends it to a worker
 * over IPC, and closes its own copy only when that worker acknowledges. A worker killed
 * before it acknowledges never does, so the connection stays open with nobody to answer:
 * the client waits for its own timeout (NGINX's proxy_read_timeout is 35 s). The primary
 * sends a worker one connection at a time, so remembering the one not yet acknowledged is
 * enough: when the worker's channel closes, closing that connection resets the client at
 * once, like every other request that was on the dead worker, and NGINX retries it
 * elsewhere if it is idempotent.
 *
 * This relies on Node's internal messages (`newconn` and its `ack`, in
 * lib/internal/cluster/round_robin_handle.js and child.js); the test that kills a worker
 * mid-handoff in test/scale/worker-lifecycle.test.ts fails if Node changes them.
 */
interface ClosableHandle {
  close: () => void;
}

interface Handoff {
  handle: ClosableHandle;
  seq: unknown;
}

export const guardConnectionHandoffs = (worker: Worker, logger: Logger) => {
  let unacknowledged: Handoff | undefined;
  const send = worker.process.send.bind(worker.process) as (...args: unknown[]) => boolean;
  worker.process.send = ((message: unknown, handle?: unknown, ...rest: unknown[]) => {
    if (isConnectionHandoff(message) && isClosable(handle)) unacknowledged = { handle, seq: message.seq };
    return send(message, handle, ...rest);
  }) as typeof worker.process.send;

  // Accepted, the primary closes its copy; refused (the worker is draining), it hands the
  // connection to another worker. Either way it is no longer this worker's to close.
  worker.process.on("internalMessage", (message: unknown) => {
    if (unacknowledged && isAcknowledgement(message, unacknowledged.seq)) unacknowledged = undefined;
  });
  // Only once the channel is closed: it is read to its end first, so an acknowledgement the
  // worker sent before it died has been seen, and no connection is handed over after that.
  // Node does not always emit 'disconnect' for a killed worker (not when the worker left
  // unread handoffs behind), so 'exit' checks too.
  const closeUnacknowledged = () => {
    if (worker.process.connected) return;
    unacknowledged?.handle.close();
    unacknowledged = undefined;
  };
  worker.process.once("disconnect", closeUnacknowledged);
  worker.process.once("exit", closeUnacknowledged);

  // A handoff written to a worker that just died fails with EPIPE, which Node emits as an
  // 'error' on the worker: unhandled, it would end the primary and every other worker.
  worker.on("error", (error: Error) => logger.warn({ worker: worker.id, err: error }, "IPC to a worker failed"));
};

const isConnectionHandoff = (message: unknown): message is { seq: unknown } =>
  typeof message === "object" && message !== null && (message as { act?: unknown }).act === "newconn";

const isAcknowledgement = (message: unknown, seq: unknown) =>
  typeof message === "object" && message !== null && (message as { ack?: unknown }).ack === seq;

const isClosable = (handle: unknown): handle is ClosableHandle =>
  typeof handle === "object" && handle !== null && typeof (handle as ClosableHandle).close === "function";
