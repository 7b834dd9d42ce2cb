/**
 * One place that must hear of every purge: an edge's purge endpoint, or Cloudflare's
 * purge-by-tag API for a zone. `send` throws when the purge did not certainly happen, so a
 * queue can try again; a purge is idempotent (dropping what is already gone changes
 * nothing), so sending one twice, or late, or out of order, is always safe.
 */
export interface PurgeTarget {
  /** Stable across processes and restarts: jobs name their target by it. */
  id: string;
  send: (tags: readonly string[]) => Promise<void>;
}

export class PurgeNotDelivered extends Error {
  override readonly name = "PurgeNotDelivered";
}
