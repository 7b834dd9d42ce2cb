/** What the cluster primary and its workers say to each other over the IPC channel. */
export type PrimaryToWorker = { type: "drain" } | { type: "metrics"; requestId: number; text: string };

export type WorkerToPrimary =
  /** Listening, and Postgres answered: safe to route to and to drain an old worker for. */
  { type: "ready" } | { type: "memory"; rssBytes: number } | { type: "metrics-request"; requestId: number };

export const isMessage = <T extends { type: string }, K extends T["type"]>(
  value: unknown,
  type: K,
): value is Extract<T, { type: K }> =>
  typeof value === "object" && value !== null && (value as { type?: unknown }).type === type;
