import { readdir, readFile, readlink } from "node:fs/promises";

/**
 * Which processes hold a listening TCP socket on a port, from /proc/net/tcp{,6} and the
 * processes' file descriptors: for a server started by someone else's launcher that does
 * not hand out its pid.
 */
const listenState = "0A";

export const listeningInodes = (table: string, port: number): string[] => {
  const wanted = port.toString(16).toUpperCase().padStart(4, "0");
  return table
    .split("\n")
    .slice(1)
    .flatMap((row) => {
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
      const [, local = "", , state, , , , , , inode = ""] = row.trim().split(/\s+/);
      return state === listenState && local.split(":")[1] === wanted ? [inode] : [];
    });
};

export const pidsListeningOn = async (port: number): Promise<number[]> => {
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const inode of listeningInodes(await readFile(table, "utf8").catch(() => ""), port)) inodes.add(inode);
  }
  if (inodes.size === 0) return [];
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const fds = await readdir(`/proc/${entry}/fd`).catch(() => []);
    for (const fd of fds) {
      const target = await readlink(`/proc/${entry}/fd/${fd}`).catch(() => "");
      if (target.startsWith("socket:[") && inodes.has(target.slice("socket:[".length, -1))) {
        pids.push(Number(entry));
        break;
      }
    }
  }
  return pids;
};
