import { createRoute } from "@hono/zod-openapi";
import { cacheableRead, write } from "../../http/cache-policy.ts";
import { cacheTags } from "../../http/cache-tags.ts";
import { slugParams } from "../../schemas/article.schemas.ts";
import {
  type Comment,
  commentParams,
  multipleCommentsResponse,
  newCommentRequest,
  singleCommentResponse,
} from "../../schemas/comment.schemas.ts";
import { errorResponses, jsonBody, jsonResponse, tokenSecurity } from "../responses.ts";
import { defineRoute } from "../route-contract.ts";

const tag = "Comments";

const commentsChanged = write(({ params }) => [cacheTags.comments(params.slug ?? "")]);

export const listComments = defineRoute({
  auth: "optional",
  cache: cacheableRead<{ comments: Comment[] }>({
    sMaxAge: 30,
    staleWhileRevalidate: 120,
    staleIfError: 86_400,
    tags: ({ params, response }) => [
      cacheTags.comments(params.slug ?? ""),
      ...response.comments.map((comment) => cacheTags.profile(comment.author.username)),
    ],
  }),
  route: createRoute({
    operationId: "GetArticleComments",
    tags: [tag],
    method: "get",
    path: "/api/articles/{slug}/comments",
    request: { params: slugParams },
    responses: {
      200: jsonResponse(multipleCommentsResponse, "Comments, oldest first"),
      ...errorResponses(401, 404, 422),
    },
  }),
});

export const createComment = defineRoute({
  auth: "required",
  cache: commentsChanged,
  route: createRoute({
    operationId: "CreateArticleComment",
    tags: [tag],
    method: "post",
    path: "/api/articles/{slug}/comments",
    security: tokenSecurity,
    request: { params: slugParams, body: jsonBody(newCommentRequest) },
    responses: { 201: jsonResponse(singleCommentResponse, "The new comment"), ...errorResponses(401, 404, 422) },
  }),
});

export const deleteComment = defineRoute({
  auth: "required",
  cache: commentsChanged,
  route: createRoute({
    operationId: "DeleteArticleComment",
    tags: [tag],
    method: "delete",
    path: "/api/articles/{slug}/comments/{id}",
    security: tokenSecurity,
    request: { params: commentParams },
    responses: { 204: { description: "Deleted" }, ...errorResponses(401, 403, 404, 422) },
  }),
});
