import { clockSkewHeader } from "../../../edge/edge-app.ts";
import { type RouteName, routeTable } from "../../../shared/routes/route-table.ts";

/** Request helpers the edge tests share: a skewed clock, route windows. */

/** Headers that make the edge (TEST_CLOCK=on) see this request `seconds` in the future. */
export const later = (seconds: number): Record<string, string> => ({ [clockSkewHeader]: String(seconds) });

/** A cacheable route's declared windows, in seconds, straight from the route table. */
export const windowsOf = (name: RouteName) => {
  const policy = routeTable[name].cache;
  if (policy.kind !== "cacheable") throw new Error(`${name} is not cacheable`);
  return policy;
};

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
