/**
 * When each tag was last purged, as far as this isolate knows. The one validity rule of
 * every stored entry, wherever it came from (this isolate's memory, or the Cache API that
 * other isolates and earlier runs share):
 *
 *     an entry is usable only if it was fetched after `knownSince` and none of its tags was
 *     purged at or after the instant its origin request started.
 *
 * That covers entries stored before a purge, and also origin reads that raced a write (they
 * may carry the old data but finish after the purge), which plain delete-by-tag would keep.
 * Ties count as purged, so a millisecond clock only ever errs towards a miss.
 */
export interface PurgeLog {
  /** Records a purge of `tags` at wall-clock `at`. */
  record: (tags: readonly string[], at: number) => void;
  allows: (tags: readonly string[], fetchedAt: number) => boolean;
  /** Bumped by every purge: an origin read in flight from before it must not be joined. */
  readonly generation: number;
}

export interface PurgeLogOptions {
  /**
   * From this instant on the isolate hears of every purge; of earlier ones it knows nothing,
   * so entries fetched at or before it (another run's, say) are never trusted.
   */
  knownSince: number;
  /** Tags remembered; the oldest forgotten tag raises `knownSince` to its purge time. */
  maxTags: number;
}

export const createPurgeLog = (options: PurgeLogOptions): PurgeLog => {
  // Insertion order is purge order: the first key is always the oldest purge.
  const purgedAt = new Map<string, number>();
  let knownSince = options.knownSince;
  let generation = 0;

  const forgetOldest = () => {
    const oldest = purgedAt.entries().next();
    if (oldest.done) return;
    const [tag, at] = oldest.value;
    purgedAt.delete(tag);
    knownSince = Math.max(knownSince, at);
  };

  return {
    record: (tags, at) => {
      generation++;
      for (const tag of tags) {
        const previous = purgedAt.get(tag) ?? at;
        purgedAt.delete(tag);
        purgedAt.set(tag, Math.max(previous, at));
      }
      while (purgedAt.size > options.maxTags) forgetOldest();
    },
    allows: (tags, fetchedAt) => {
      if (fetchedAt <= knownSince) return false;
      for (const tag of tags) {
        const at = purgedAt.get(tag);
        if (at !== undefined && at >= fetchedAt) return false;
      }
      return true;
    },
    get generation() {
      return generation;
    },
  };
};
