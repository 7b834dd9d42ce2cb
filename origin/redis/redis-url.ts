/**
 * The forms REDIS_URL accepts, as one value each tier of Redis deployment can use:
 *   redis://[user:password@]host:port[/db]        one server (rediss:// for TLS)
 *   redis-sentinel://[:password@]h1:p1,h2:p2/name Sentinel: the sentinels and the master's name
 *   redis-cluster://[:password@]h1:p1,h2:p2       Cluster: any of its nodes, the rest are discovered
 */
export interface RedisNode {
  host: string;
  port: number;
}

export type RedisTarget =
  | { kind: "single"; url: string }
  | { kind: "sentinel"; sentinels: RedisNode[]; masterName: string; password?: string; tls: boolean }
  | { kind: "cluster"; nodes: RedisNode[]; password?: string; tls: boolean };

export type RedisUrlResult = { ok: true; target: RedisTarget } | { ok: false; problem: string };

const defaultPort = { sentinel: 26_379, cluster: 6_379 } as const;

const parseNodes = (hosts: string, fallbackPort: number): RedisNode[] | undefined => {
  const nodes = hosts.split(",").map((entry) => {
    const match = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(entry.trim());
    if (!match?.[1]) return undefined;
    const port = match[2] === undefined ? fallbackPort : Number(match[2]);
    return port >= 1 && port <= 65_535 ? { host: match[1].replace(/^\[|\]$/g, ""), port } : undefined;
  });
  return nodes.every((node) => node !== undefined) && nodes.length > 0 ? (nodes as RedisNode[]) : undefined;
};

export const parseRedisUrl = (value: string): RedisUrlResult => {
  const scheme = /^([a-z-]+):\/\//.exec(value)?.[1];
  if (scheme === "redis" || scheme === "rediss") {
    return URL.canParse(value)
      ? { ok: true, target: { kind: "single", url: value } }
      : { ok: false, problem: "is not a URL" };
  }
  const kind =
    scheme === "redis-sentinel" || scheme === "rediss-sentinel"
      ? "sentinel"
      : scheme === "redis-cluster" || scheme === "rediss-cluster"
        ? "cluster"
        : undefined;
  if (!kind || !scheme) {
    return { ok: false, problem: "must start with redis://, rediss://, redis-sentinel:// or redis-cluster://" };
  }
  // Comma-separated hosts are not a URL authority, so the parts are split by hand.
  const rest = value.slice(scheme.length + 3);
  const at = rest.lastIndexOf("@");
  const credentials = at >= 0 ? rest.slice(0, at) : "";
  const [hosts = "", path = ""] = (at >= 0 ? rest.slice(at + 1) : rest).split("/", 2);
  const nodes = parseNodes(hosts, defaultPort[kind]);
  if (!nodes) return { ok: false, problem: "lists a host that is not host or host:port" };
  const password = credentials ? decodeURIComponent(credentials.slice(credentials.indexOf(":") + 1)) : undefined;
  const tls = scheme.startsWith("rediss");
  const secret = password ? { password } : {};
  if (kind === "cluster") return { ok: true, target: { kind, nodes, tls, ...secret } };
  if (!path) return { ok: false, problem: "needs the master's name as its path: redis-sentinel://host:port/mymaster" };
  return { ok: true, target: { kind, sentinels: nodes, masterName: decodeURIComponent(path), tls, ...secret } };
};
