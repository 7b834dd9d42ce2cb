/**
 * Relays purges between the isolates that share one Cache API and one set of clients: the
 * isolates of a `deno serve --parallel` process. A purge counts as done only once every
 * other isolate has applied it to its own memory and purge log, so a reader whose next
 * request lands on any of them sees the write. One isolate (`wrangler dev`, a single
 * `deno serve`) needs no relay.
 */
export interface PurgeBus {
  /** Resolves when every other isolate confirmed the purge, or the wait timed out (logged). */
  publish: (tags: readonly string[], at: number) => Promise<void>;
  /** What this isolate does with a purge another one published; earlier ones wait for it. */
  onPurge: (apply: (tags: string[], at: number) => void) => void;
}

export const singleIsolateBus: PurgeBus = {
  publish: async () => {},
  onPurge: () => {},
};

/** The part of BroadcastChannel the bus uses. */
export interface Channel {
  postMessage: (message: unknown) => void;
  onmessage: ((event: MessageEvent) => void) | null;
}

type BusMessage =
  | { type: "hello"; from: string }
  | { type: "present"; from: string }
  | { type: "purge"; from: string; id: string; tags: string[]; at: number }
  | { type: "ack"; from: string; id: string };

export interface BroadcastBusOptions {
  channel: Channel;
  /** Isolates in the process, this one included. */
  isolates: number;
  ackTimeoutMs: number;
  onUnconfirmed: (details: { tags: readonly string[]; confirmed: number; expected: number }) => void;
}

const isBusMessage = (value: unknown): value is BusMessage =>
  typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";

export const broadcastPurgeBus = ({
  channel,
  isolates,
  ackTimeoutMs,
  onUnconfirmed,
}: BroadcastBusOptions): PurgeBus => {
  const self = crypto.randomUUID();
  // Isolates we heard from: more than configured means EDGE_ISOLATES is wrong, and waiting
  // for every one of them keeps the promise anyway.
  const peers = new Set<string>();
  const waiting = new Map<string, { confirmed: Set<string>; done: () => void }>();
  // Purges that arrive before the isolate's cache exists are held, not lost, and confirmed
  // only once applied: the publisher's promise is that they were.
  const held: Extract<BusMessage, { type: "purge" }>[] = [];
  let apply: ((tags: string[], at: number) => void) | undefined;
  const expectedPeers = () => Math.max(isolates - 1, peers.size);
  const applyAndConfirm = (message: Extract<BusMessage, { type: "purge" }>) => {
    apply?.(message.tags, message.at);
    channel.postMessage({ type: "ack", from: self, id: message.id } satisfies BusMessage);
  };

  channel.onmessage = (event) => {
    const message = event.data;
    if (!isBusMessage(message) || message.from === self) return;
    peers.add(message.from);
    if (message.type === "hello") {
      channel.postMessage({ type: "present", from: self } satisfies BusMessage);
    } else if (message.type === "purge") {
      if (apply) applyAndConfirm(message);
      else held.push(message);
    } else if (message.type === "ack") {
      const wait = waiting.get(message.id);
      wait?.confirmed.add(message.from);
      if (wait && wait.confirmed.size >= expectedPeers()) wait.done();
    }
  };
  channel.postMessage({ type: "hello", from: self } satisfies BusMessage);

  return {
    publish: (tags, at) => {
      if (expectedPeers() === 0) return Promise.resolve();
      const id = crypto.randomUUID();
      return new Promise<void>((resolve) => {
        const confirmed = new Set<string>();
        const timer = setTimeout(() => {
          waiting.delete(id);
          onUnconfirmed({ tags, confirmed: confirmed.size, expected: expectedPeers() });
          resolve();
        }, ackTimeoutMs);
        waiting.set(id, {
          confirmed,
          done: () => {
            clearTimeout(timer);
            waiting.delete(id);
            resolve();
          },
        });
        channel.postMessage({ type: "purge", from: self, id, tags: [...tags], at } satisfies BusMessage);
      });
    },
    onPurge: (handler) => {
      apply = handler;
      for (const message of held.splice(0)) applyAndConfirm(message);
    },
  };
};
