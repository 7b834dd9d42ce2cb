import http from "node:http";

export interface OwnConnectionAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * One GET on a connection of its own (`agent: false`, so `Connection: close`), read to its
 * end. Nothing is left in a keep-alive pool, idle on the server; and each call is a new
 * connection for the kernel (`deno serve --parallel`) or node:cluster to hand to a worker.
 * Rejects with the socket's error, or an AbortError after `timeoutMs`.
 */
export const getOnOwnConnection = (url: string, timeoutMs = 10_000): Promise<OwnConnectionAnswer> =>
  new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false, signal: AbortSignal.timeout(timeoutMs) }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        body += chunk;
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      response.on("error", reject);
    });
    request.on("error", reject);
  });
