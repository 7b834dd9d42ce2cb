import { createRoute } from "@hono/zod-openapi";
import { write } from "../../http/cache-policy.ts";
import { cacheTags } from "../../http/cache-tags.ts";
import { singleArticleResponse, slugParams } from "../../schemas/article.schemas.ts";
import { errorResponses, jsonResponse, tokenSecurity } from "../responses.ts";
import { defineRoute } from "../route-contract.ts";

const tag = "Favorites";

/** The count on the article changes, and so does the actor's `favorited=` list. */
const favoriteWrite = write(({ params, subjects }) => [
  cacheTags.article(params.slug ?? ""),
  ...(subjects.actorUsername ? [cacheTags.favoritesOf(subjects.actorUsername)] : []),
]);

export const favoriteArticle = defineRoute({
  auth: "required",
  cache: favoriteWrite,
  route: createRoute({
    operationId: "CreateArticleFavorite",
    tags: [tag],
    method: "post",
    path: "/api/articles/{slug}/favorite",
    security: tokenSecurity,
    request: { params: slugParams },
    responses: { 200: jsonResponse(singleArticleResponse, "The favorited article"), ...errorResponses(401, 404, 422) },
  }),
});

export const unfavoriteArticle = defineRoute({
  auth: "required",
  cache: favoriteWrite,
  route: createRoute({
    operationId: "DeleteArticleFavorite",
    tags: [tag],
    method: "delete",
    path: "/api/articles/{slug}/favorite",
    security: tokenSecurity,
    request: { params: slugParams },
    responses: {
      200: jsonResponse(singleArticleResponse, "The unfavorited article"),
      ...errorResponses(401, 404, 422),
    },
  }),
});
