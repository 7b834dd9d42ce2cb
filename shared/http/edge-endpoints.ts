import { z } from "zod";

/**
 * The edge's own endpoints, which the origin and the local stack call: its liveness, and
 * the purge by which the origin tells it what a write changed (`POST` with the shared
 * secret in a header and the tags in the body).
 */
export const edgeHealthPath = "/__edge/healthz";
export const edgePurgePath = "/__edge/purge";
export const edgePurgeSecretHeader = "x-edge-purge-secret";

export const edgePurgeRequest = z.object({
  tags: z.array(z.string().min(1).max(1_024)).min(1).max(10_000),
});
