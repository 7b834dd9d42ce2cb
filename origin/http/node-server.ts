import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import type { Config } from "../config.ts";

type FetchHandler = (request: Request) => Response | Promise<Response>;

export interface DrainableServer {
  server: Server;
  /** Stops accepting, lets in-flight requests finish, closes keep-alive sockets politely. */
  drain: (timeoutMs: number) => Promise<"drained" | "timed-out">;
}

/**
 * Serves a fetch handler on Node with the timeouts of our chain (see docs/timeouts.md):
 * keep-alive above NGINX's upstream keepalive, headers timeout above keep-alive.
 */
export const startNodeServer = (fetch: FetchHandler, config: Config, onListening: () => void): DrainableServer => {
  let draining = false;
  // While draining, every response tells its client (NGINX) not to reuse the socket. So
  // does a 413: the refused body was never read, and its bytes would corrupt the next request.
  const fetchUntilDrained = async (request: Request) => {
    const response = await fetch(request);
    if (draining || response.status === 413) response.headers.set("connection", "close");
    return response;
  };
  const server = serve({ fetch: fetchUntilDrained, hostname: config.host, port: config.port }, onListening) as Server;
  server.keepAliveTimeout = config.http.keepAliveTimeoutMs;
  server.headersTimeout = config.http.keepAliveTimeoutMs + 1_000;
  server.requestTimeout = config.http.requestTimeoutMs;

  const drain = (timeoutMs: number) =>
    new Promise<"drained" | "timed-out">((resolve) => {
      draining = true;
      // Idle keep-alive sockets close now, busy ones right after their response.
      const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
      const deadline = setTimeout(() => {
        clearInterval(idleSweep);
        server.closeAllConnections();
        resolve("timed-out");
      }, timeoutMs);
      server.close(() => {
        clearInterval(idleSweep);
        clearTimeout(deadline);
        resolve("drained");
      });
      server.closeIdleConnections();
    });

  return { server, drain };
};
