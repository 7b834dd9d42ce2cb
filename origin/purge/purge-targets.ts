import { cloudflareTarget } from "./cloudflare-target.ts";
import { edgeEndpointTarget } from "./edge-endpoint-target.ts";
import type { EdgePurgeTarget } from "./edge-purge-config.ts";
import type { PurgeTarget } from "./purge-target.ts";

/** Every place the configuration says must hear of purges (origin/purge/edge-purge-config.ts). */
export const purgeTargets = (target: EdgePurgeTarget): PurgeTarget[] => {
  switch (target.kind) {
    case "edges":
      return target.urls.map((url) => edgeEndpointTarget({ url, secret: target.secret, timeoutMs: target.timeoutMs }));
    case "cloudflare":
      return [cloudflareTarget(target)];
    case "none":
      return [];
  }
};
