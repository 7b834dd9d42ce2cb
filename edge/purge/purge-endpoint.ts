import type { Context } from "hono";
import { AppError, validationError } from "../../shared/errors/app-error.ts";
import { edgePurgeRequest, edgePurgeSecretHeader } from "../../shared/http/edge-endpoints.ts";
import { fieldErrorsFromIssues } from "../../shared/schemas/field-errors.ts";
import type { EdgeEnv } from "../edge-env.ts";
import type { EdgePurge } from "./edge-purge.ts";

/**
 * `POST /__edge/purge` with `{"tags": [...]}` (shared/http/edge-endpoints.ts): how the origin
 * tells this edge what a write changed. Only a caller holding the shared secret may purge;
 * anyone else gets 401 and changes nothing.
 */

const sha256 = async (value: string) =>
  new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(value)));

/** Compares digests, not the strings: equal lengths, and no early exit on the first difference. */
const sameSecret = async (presented: string, expected: string) => {
  const [a, b] = await Promise.all([sha256(presented), sha256(expected)]);
  let difference = 0;
  for (let index = 0; index < a.length; index++) difference |= (a[index] ?? 0) ^ (b[index] ?? 0);
  return difference === 0;
};

export const purgeEndpoint = (secret: string | undefined, edgePurge: EdgePurge) => async (c: Context<EdgeEnv>) => {
  const presented = c.req.header(edgePurgeSecretHeader);
  if (presented === undefined) throw new AppError("tokenMissing");
  if (secret === undefined || !(await sameSecret(presented, secret))) throw new AppError("tokenInvalid");
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new AppError("bodyMalformed");
  }
  const parsed = edgePurgeRequest.safeParse(body);
  if (!parsed.success) throw validationError(fieldErrorsFromIssues(parsed.error.issues));
  await edgePurge.purge(parsed.data.tags, c.env.waitUntil);
  return c.json({ purged: parsed.data.tags.length });
};
