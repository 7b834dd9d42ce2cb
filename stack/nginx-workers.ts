import { readdir, readFile, readlink } from "node:fs/promises";

/**
 * What /proc tells about an nginx master's workers, so a reload can wait until it has
 * really happened: new workers run, and the old ones (which finish their requests first)
 * no longer hold the listening sockets, so every new connection gets the new config.
 */

/** The master's children (Debian's kernels have CONFIG_PROC_CHILDREN). */
export const workerPids = async (masterPid: number): Promise<Set<number>> => {
  const children = await readFile(`/proc/${masterPid}/task/${masterPid}/children`, "utf8");
  return new Set(children.split(" ").filter(Boolean).map(Number));
};

const listenState = "0A";

/** Socket inodes listening on these ports, from /proc/net/tcp and tcp6. */
const listeningInodes = async (ports: number[]): Promise<Set<string>> => {
  const wanted = new Set(ports.map((port) => port.toString(16).toUpperCase().padStart(4, "0")));
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    const rows = (await readFile(table, "utf8").catch(() => "")).split("\n").slice(1);
    for (const row of rows) {
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
      const [, local = "", , state, , , , , , inode = ""] = row.trim().split(/\s+/);
      if (state === listenState && wanted.has(local.split(":")[1] ?? "")) inodes.add(inode);
    }
  }
  return inodes;
};

const holdsAny = async (pid: number, inodes: Set<string>): Promise<boolean> => {
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => []);
  for (const fd of fds) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => "");
    if (target.startsWith("socket:[") && inodes.has(target.slice("socket:[".length, -1))) return true;
  }
  return false;
};

/** True once none of `pids` (old workers, perhaps gone already) accepts on `ports`. */
export const noneListening = async (pids: Iterable<number>, ports: number[]): Promise<boolean> => {
  const inodes = await listeningInodes(ports);
  for (const pid of pids) if (await holdsAny(pid, inodes)) return false;
  return true;
};
