import { createRoute } from "@hono/zod-openapi";
import { cacheableRead, privateRead, write } from "../../http/cache-policy.ts";
import { cacheTags } from "../../http/cache-tags.ts";
import {
  type Article,
  articleListQuery,
  feedQuery,
  type MultipleArticles,
  multipleArticlesResponse,
  newArticleRequest,
  singleArticleResponse,
  slugParams,
  type UpdateArticleInput,
  updateArticleRequest,
} from "../../schemas/article.schemas.ts";
import { errorResponses, jsonBody, jsonResponse, tokenSecurity } from "../responses.ts";
import { defineRoute } from "../route-contract.ts";

const tag = "Articles";

/** A list is purged when any article on it, or any of their authors, changes. */
export const articleListTags = (list: MultipleArticles, favoritedBy: string | undefined): string[] => [
  cacheTags.articleLists,
  ...(favoritedBy ? [cacheTags.favoritesOf(favoritedBy)] : []),
  ...list.articles.flatMap((article) => [cacheTags.article(article.slug), cacheTags.profile(article.author.username)]),
];

export const singleArticleTags = (article: Pick<Article, "slug" | "author">): string[] => [
  cacheTags.article(article.slug),
  cacheTags.profile(article.author.username),
];

export const listArticles = defineRoute({
  auth: "optional",
  cache: cacheableRead<MultipleArticles>({
    sMaxAge: 10,
    staleWhileRevalidate: 60,
    staleIfError: 86_400,
    tags: ({ query, response }) => articleListTags(response, query.favorited),
  }),
  route: createRoute({
    operationId: "GetArticles",
    tags: [tag],
    method: "get",
    path: "/api/articles",
    description: "Most recent articles first. `limit` is 1 to 100 (default 20), `offset` 0 to 1,000,000.",
    request: { query: articleListQuery },
    responses: { 200: jsonResponse(multipleArticlesResponse, "A page of articles"), ...errorResponses(401, 422) },
  }),
});

export const feedArticles = defineRoute({
  auth: "required",
  cache: privateRead,
  route: createRoute({
    operationId: "GetArticlesFeed",
    tags: [tag],
    method: "get",
    path: "/api/articles/feed",
    security: tokenSecurity,
    request: { query: feedQuery },
    responses: {
      200: jsonResponse(multipleArticlesResponse, "A page of articles by followed authors"),
      ...errorResponses(401, 422),
    },
  }),
});

export const getArticle = defineRoute({
  auth: "optional",
  cache: cacheableRead<{ article: Article }>({
    sMaxAge: 60,
    staleWhileRevalidate: 300,
    staleIfError: 86_400,
    tags: ({ response }) => singleArticleTags(response.article),
  }),
  route: createRoute({
    operationId: "GetArticle",
    tags: [tag],
    method: "get",
    path: "/api/articles/{slug}",
    request: { params: slugParams },
    responses: { 200: jsonResponse(singleArticleResponse, "The article"), ...errorResponses(401, 404, 422) },
  }),
});

export const createArticle = defineRoute({
  auth: "required",
  cache: write(() => [cacheTags.articleLists, cacheTags.tags]),
  route: createRoute({
    operationId: "CreateArticle",
    tags: [tag],
    method: "post",
    path: "/api/articles",
    security: tokenSecurity,
    request: { body: jsonBody(newArticleRequest) },
    responses: { 201: jsonResponse(singleArticleResponse, "The new article"), ...errorResponses(401, 422) },
  }),
});

export const updateArticle = defineRoute({
  auth: "required",
  cache: write<{ article: UpdateArticleInput }, { article: Article }>(({ params, request, response }) => [
    cacheTags.article(params.slug ?? ""),
    // A new title moves the article, and its comments, to a new slug: the old URLs are now 404.
    ...(response && response.article.slug !== params.slug
      ? [cacheTags.article(response.article.slug), cacheTags.comments(params.slug ?? "")]
      : []),
    // Title and tags decide which lists hold the article; the body appears in none.
    ...(request.article.title !== undefined || request.article.tagList !== undefined ? [cacheTags.articleLists] : []),
    ...(request.article.tagList !== undefined ? [cacheTags.tags] : []),
  ]),
  route: createRoute({
    operationId: "UpdateArticle",
    tags: [tag],
    method: "put",
    path: "/api/articles/{slug}",
    security: tokenSecurity,
    request: { params: slugParams, body: jsonBody(updateArticleRequest) },
    responses: {
      200: jsonResponse(singleArticleResponse, "The updated article"),
      ...errorResponses(401, 403, 404, 422),
    },
  }),
});

export const deleteArticle = defineRoute({
  auth: "required",
  cache: write(({ params }) => [
    cacheTags.articleLists,
    cacheTags.article(params.slug ?? ""),
    cacheTags.comments(params.slug ?? ""),
    cacheTags.tags,
  ]),
  route: createRoute({
    operationId: "DeleteArticle",
    tags: [tag],
    method: "delete",
    path: "/api/articles/{slug}",
    security: tokenSecurity,
    request: { params: slugParams },
    responses: { 204: { description: "Deleted" }, ...errorResponses(401, 403, 404, 422) },
  }),
});
