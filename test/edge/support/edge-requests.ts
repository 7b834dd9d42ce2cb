import http from "node:http";
import { clockSkewHeader } from "../../../edge/edge-app.ts";
import { type RouteName, routeTable } from "../../../shared/routes/route-table.ts";

/** Request helpers the edge tests share: a skewed clock, route windows, fresh connections. */

/** Headers that make the edge (TEST_CLOCK=on) see this request `seconds` in the future. */
export const later = (seconds: number): Record<string, string> => ({ [clockSkewHeader]: String(seconds) });

/** A cacheable route's declared windows, in seconds, straight from the route table. */
export const windowsOf = (name: RouteName) => {
  const policy = routeTable[name].cache;
  if (policy.kind !== "cacheable") throw new Error(`${name} is not cacheable`);
  return policy;
};

/**
 * One GET on a connection of its own: with `deno serve --parallel` the kernel spreads new
 * connections over the isolates, so many of these reach all of them.
 */
export const getOnNewConnection = (url: string): Promise<{ status: number; cache: string; body: string }> =>
  new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        body += chunk;
      });
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, cache: String(response.headers["x-cache"]), body }),
      );
    });
    request.on("error", reject);
  });

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
