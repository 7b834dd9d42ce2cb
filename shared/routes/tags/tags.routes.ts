import { createRoute } from "@hono/zod-openapi";
import { cacheableRead } from "../../http/cache-policy.ts";
import { cacheTags } from "../../http/cache-tags.ts";
import { tagsResponse } from "../../schemas/article.schemas.ts";
import { errorResponses, jsonResponse } from "../responses.ts";
import { defineRoute } from "../route-contract.ts";

export const listTags = defineRoute({
  auth: "none",
  cache: cacheableRead({ sMaxAge: 60, staleWhileRevalidate: 600, staleIfError: 86_400, tags: () => [cacheTags.tags] }),
  route: createRoute({
    operationId: "GetTags",
    tags: ["Tags"],
    method: "get",
    path: "/api/tags",
    responses: { 200: jsonResponse(tagsResponse, "Tags in use, most used first"), ...errorResponses(422) },
  }),
});
