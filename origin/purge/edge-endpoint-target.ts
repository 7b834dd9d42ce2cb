import { edgePurgePath, edgePurgeSecretHeader } from "../../shared/http/edge-endpoints.ts";
import { PurgeNotDelivered, type PurgeTarget } from "./purge-target.ts";

/** One of our own edges (wrangler dev, deno serve, or a fleet whose addresses we know). */
export const edgeEndpointTarget = (options: { url: string; secret: string; timeoutMs: number }): PurgeTarget => ({
  id: `edge:${options.url}`,
  send: async (tags) => {
    let response: Response;
    try {
      response = await fetch(`${options.url}${edgePurgePath}`, {
        method: "POST",
        headers: { "content-type": "application/json", [edgePurgeSecretHeader]: options.secret },
        body: JSON.stringify({ tags }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      throw new PurgeNotDelivered(`edge ${options.url} unreachable`, { cause: error });
    }
    await response.body?.cancel();
    if (!response.ok) throw new PurgeNotDelivered(`edge ${options.url} answered ${response.status}`);
  },
});
