import { formatCacheTags } from "../../shared/http/cache-policy.ts";
import { PurgeNotDelivered, type PurgeTarget } from "./purge-target.ts";

/**
 * Production on Cloudflare: the zone's purge-by-tag API, which reaches every data centre.
 * Cloudflare matches tags as they appear in `Cache-Tag` headers, so they are sent encoded
 * the same way (formatCacheTags), in batches within the API's per-request limit.
 */
export interface CloudflareTargetOptions {
  zoneId: string;
  apiToken: string;
  timeoutMs: number;
  /** The API's address; tests point it elsewhere. */
  apiBase?: string;
}

const tagsPerRequest = 30;

export const cloudflareTarget = ({
  zoneId,
  apiToken,
  timeoutMs,
  apiBase = "https://api.cloudflare.com/client/v4",
}: CloudflareTargetOptions): PurgeTarget => {
  const purgeBatch = async (tags: string[]) => {
    let response: Response;
    try {
      response = await fetch(`${apiBase}/zones/${encodeURIComponent(zoneId)}/purge_cache`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${apiToken}` },
        body: JSON.stringify({ tags }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new PurgeNotDelivered("cloudflare unreachable", { cause: error });
    }
    const text = await response.text();
    if (!response.ok) throw new PurgeNotDelivered(`cloudflare answered ${response.status}: ${text.slice(0, 300)}`);
  };
  return {
    id: `cloudflare:${zoneId}`,
    send: async (tags) => {
      const encoded = formatCacheTags(tags).split(",").filter(Boolean);
      const batches: string[][] = [];
      for (let start = 0; start < encoded.length; start += tagsPerRequest) {
        batches.push(encoded.slice(start, start + tagsPerRequest));
      }
      await Promise.all(batches.map(purgeBatch));
    },
  };
};
