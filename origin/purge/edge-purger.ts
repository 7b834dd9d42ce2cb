/**
 * Tells the edges what a write changed, after the origin's own cache has dropped it (so an
 * edge that refetches at once gets the new data). It never throws: an edge that cannot be
 * reached must not fail the client's write; the failure is logged, and that edge serves its
 * copy until it expires (the bound docs/edge.md states). With Redis, purge-queue.ts keeps
 * every purge as a job until its target takes it.
 */
export interface EdgePurger {
  purge: (tags: string[]) => Promise<void>;
}

export const noEdgePurger: EdgePurger = { purge: async () => {} };
