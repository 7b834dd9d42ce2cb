import type { Server } from "node:http";
import { Server as NetServer } from "node:net";
import { serve } from "@hono/node-server";
import type { Config } from "../config.ts";

type FetchHandler = (request: Request, env: unknown) => Response | Promise<Response>;

export interface DrainTimings {
  /** The hard bound: whatever is still open then is cut. */
  timeoutMs: number;
  /** How long idle keep-alive sockets are left for their client to close first. */
  idleGraceMs: number;
}

export interface DrainableServer {
  server: Server;
  /** Stops accepting, lets in-flight requests finish, closes keep-alive sockets politely. */
  drain: (timings: DrainTimings) => Promise<"drained" | "timed-out">;
}

/**
 * Serves a fetch handler on Node with the timeouts of our chain (docs/timeouts.md):
 * keep-alive above NGINX's upstream keepalive, headers timeout above keep-alive.
 */
export const startNodeServer = (fetch: FetchHandler, config: Config, onListening: () => void): DrainableServer => {
  let draining = false;
  // While draining, every response tells its client (NGINX) not to reuse the socket. So
  // does a 413: the refused body was never read, and its bytes would corrupt the next request.
  const fetchUntilDrained = async (request: Request, env: unknown) => {
    const response = await fetch(request, env);
    if (draining || response.status === 413) response.headers.set("connection", "close");
    return response;
  };
  const server = serve({ fetch: fetchUntilDrained, hostname: config.host, port: config.port }, onListening) as Server;
  server.keepAliveTimeout = config.http.keepAliveTimeoutMs;
  server.headersTimeout = config.http.keepAliveTimeoutMs + 1_000;
  server.requestTimeout = config.http.requestTimeoutMs;

  const drain = ({ timeoutMs, idleGraceMs }: DrainTimings) =>
    new Promise<"drained" | "timed-out">((resolve) => {
      draining = true;
      let idleSweep: NodeJS.Timeout | undefined;
      const finish = (outcome: "drained" | "timed-out") => {
        clearTimeout(graceOver);
        clearInterval(idleSweep);
        clearTimeout(deadline);
        resolve(outcome);
      };
      // http.Server#close also closes idle keep-alive sockets at once (Node >= 19); one of
      // them may be carrying a request NGINX just sent, which NGINX cannot retry for a POST.
      // net.Server#close only stops accepting, and leaves the idle sockets to their client.
      NetServer.prototype.close.call(server, () => finish("drained"));
      const graceOver = setTimeout(() => {
        server.closeIdleConnections();
        idleSweep = setInterval(() => server.closeIdleConnections(), 100);
      }, idleGraceMs);
      const deadline = setTimeout(() => {
        server.closeAllConnections();
        finish("timed-out");
      }, timeoutMs);
    });

  return { server, drain };
};
