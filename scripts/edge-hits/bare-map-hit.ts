/**
 * The floor the edge's hit path is compared with, re-measured beside it under the same
 * load (design.md's "in-isolate `Map` hit"): `deno serve` answering from a `Map` of bodies
 * read once from BARE_MAP_BODIES (a JSON object, path → body), with no framework at all.
 */
declare const Deno: {
  env: { get: (name: string) => string | undefined };
  readTextFileSync: (path: string) => string;
};

const bodiesFile = Deno.env.get("BARE_MAP_BODIES");
if (bodiesFile === undefined) throw new Error("BARE_MAP_BODIES is not set");
const encoder = new TextEncoder();
const bodies = new Map(
  Object.entries(JSON.parse(Deno.readTextFileSync(bodiesFile)) as Record<string, string>).map(
    ([path, body]) => [path, encoder.encode(body)] as const,
  ),
);

export default {
  fetch: (request: Request) => {
    const url = new URL(request.url);
    const body = bodies.get(`${url.pathname}${url.search}`);
    if (body === undefined) return new Response("not found", { status: 404 });
    return new Response(body, { headers: { "content-type": "application/json; charset=utf-8" } });
  },
};
