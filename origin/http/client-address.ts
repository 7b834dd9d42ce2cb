import type { IncomingMessage } from "node:http";
import type { Context } from "hono";
import proxyaddr from "proxy-addr";

/**
 * Who sent a request, as far as we can trust it. X-Forwarded-For and X-Forwarded-Proto are
 * believed only from the configured proxies (NGINX on loopback by default), and only up to
 * the first address that is not one of them, so a client cannot forge its way past the
 * per-IP limits or into the logs (proxy-addr applies Express's well-tested rules).
 */
export interface ClientAddress {
  ip: string;
  scheme: "http" | "https";
}

export type ClientAddressOf = (c: Context) => ClientAddress;

interface NodeBindings {
  incoming?: IncomingMessage;
}

export const clientAddressResolver = (trustedProxies: readonly string[]): ClientAddressOf => {
  const trust = proxyaddr.compile([...trustedProxies]);
  return (c) => {
    const incoming = (c.env as NodeBindings | undefined)?.incoming;
    const peer = incoming?.socket.remoteAddress;
    if (!incoming || peer === undefined) return { ip: "unknown", scheme: "http" };
    const ip = proxyaddr(incoming, trust);
    const forwardedProto = incoming.headers["x-forwarded-proto"];
    const scheme = trust(peer, 0) && forwardedProto === "https" ? "https" : "http";
    return { ip, scheme };
  };
};
