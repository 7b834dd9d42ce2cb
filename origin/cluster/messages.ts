/** What the cluster primary and its workers say to each other over the IPC channel. */
export type PrimaryToWorker = { type: "drain" };
export type WorkerToPrimary = { type: "ready" };

export const isMessage = <T extends { type: string }>(value: unknown, type: T["type"]): value is T =>
  typeof value === "object" && value !== null && (value as { type?: unknown }).type === type;
