import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { edgePurgePath, edgePurgeSecretHeader } from "../../shared/http/edge-endpoints.ts";
import { getOnOwnConnection } from "../../stack/get-on-own-connection.ts";
import { apiAt, createArticleAt, registerUserAt } from "../support/api-client.ts";
import { pause } from "./support/edge-requests.ts";
import { type EdgeStack, settled, startEdgeStack, testPurgeSecret } from "./support/edge-stack.ts";

/**
 * `deno serve --parallel`: two isolates, each with its own memory cache, one Cache API and
 * one port. The kernel hands each new connection to one of them, so reads on many new
 * connections reach both; a purge must reach both before it counts as done.
 */
const isolates = 2;
const connections = 30;
let stack: EdgeStack;

beforeAll(async () => {
  stack = await startEdgeStack({ runtimes: ["deno"], denoIsolates: isolates, originKnowsEdges: false });
});

afterAll(async () => {
  await stack?.stop();
});

const edge = () => stack.edges.deno.url;

const readsOnNewConnections = (path: string) =>
  Promise.all(Array.from({ length: connections }, () => getOnOwnConnection(`${edge()}${path}`)));

const freshArticle = async () => {
  const author = await registerUserAt(stack.originUrl);
  return { author, article: await createArticleAt(stack.originUrl, author.token) };
};

describe("deno serve --parallel", () => {
  it("a write through one isolate is never served stale by another", async () => {
    const { author, article } = await freshArticle();
    const path = `/api/articles/${article.slug}`;
    await readsOnNewConnections(path);
    const hits = await readsOnNewConnections(path);
    expect(hits.filter((read) => read.headers["x-cache"] === "HIT")).toHaveLength(connections);
    await apiAt(edge(), "PUT", path, { token: author.token, body: { article: { body: "written once" } } });
    const reads = await readsOnNewConnections(path);
    expect(new Set(reads.map((read) => JSON.parse(read.body).article.body))).toEqual(new Set(["written once"]));
  });

  it("a purge that reaches one isolate purges them all", async () => {
    const { author, article } = await freshArticle();
    const path = `/api/articles/${article.slug}`;
    await readsOnNewConnections(path);
    // Changed where this edge does not hear of it, then purged as the origin's fan-out would.
    await apiAt(stack.originUrl, "PUT", path, { token: author.token, body: { article: { body: "changed" } } });
    const purged = await apiAt(edge(), "POST", edgePurgePath, {
      body: { tags: [`article:${article.slug}`] },
      headers: { [edgePurgeSecretHeader]: testPurgeSecret },
    });
    expect(purged.status).toBe(200);
    const reads = await readsOnNewConnections(path);
    expect(new Set(reads.map((read) => JSON.parse(read.body).article.body))).toEqual(new Set(["changed"]));
  });

  it("coalesces concurrent misses within each isolate: at most one origin request per isolate", async () => {
    const { article } = await freshArticle();
    const path = `/api/articles/${article.slug}`;
    stack.stallOrigin();
    const pending = readsOnNewConnections(path);
    await pause(500);
    stack.resumeOrigin();
    const reads = await pending;
    expect(new Set(reads.map((read) => read.status))).toEqual(new Set([200]));
    const reached = await settled(() => stack.originRequests("GET", path));
    expect(reached).toBeGreaterThanOrEqual(1);
    expect(reached).toBeLessThanOrEqual(isolates);
  });
});
