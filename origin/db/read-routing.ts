import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Where the selects of the current request may go, carried through its async calls so that
 * handlers keep calling `db.select()` and never choose a server themselves. Outside any
 * request (start-up, scripts) and unless a middleware allowed a replica, reads go to the
 * primary: the safe default.
 */
export type ReadTarget = "primary" | "replica";

interface RequestReads {
  target: ReadTarget;
  /** The replica this request reads from once chosen: one request, one consistent view. */
  replica?: number;
}

export interface ReadRouting {
  run: <T>(target: ReadTarget, work: () => T) => T;
  /** From now on this request reads from the primary (it must see what the primary holds). */
  usePrimary: () => void;
  /** The replica index this request reads from, choosing it with `pick` on first use; `undefined`: the primary. */
  replicaFor: (pick: () => number | undefined) => number | undefined;
}

export const createReadRouting = (): ReadRouting => {
  const storage = new AsyncLocalStorage<RequestReads>();
  return {
    run: (target, work) => storage.run({ target }, work),
    usePrimary: () => {
      const reads = storage.getStore();
      if (reads) reads.target = "primary";
    },
    replicaFor: (pick) => {
      const reads = storage.getStore();
      if (reads?.target !== "replica") return undefined;
      reads.replica ??= pick();
      if (reads.replica === undefined) reads.target = "primary";
      return reads.replica;
    },
  };
};
