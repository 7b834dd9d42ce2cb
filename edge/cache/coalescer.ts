/**
 * Concurrent misses for one key share one origin request. A request joins a fill only if
 * no purge happened since the fill started: a fill from before a write may return the old
 * data, and a reader who arrives after the write (the writer, say) must not be handed it.
 */
export interface Coalescer<T> {
  /** The fill in flight for `key` since `generation`, or a new one from `fill`. */
  run: (key: string, generation: number, fill: () => Promise<T>) => Promise<T>;
}

export const createCoalescer = <T>(): Coalescer<T> => {
  const fills = new Map<string, { generation: number; result: Promise<T> }>();
  return {
    run: (key, generation, fill) => {
      const existing = fills.get(key);
      if (existing && existing.generation === generation) return existing.result;
      const record = { generation, result: fill() };
      fills.set(key, record);
      const forget = () => {
        if (fills.get(key) === record) fills.delete(key);
      };
      record.result.then(forget, forget);
      return record.result;
    },
  };
};
