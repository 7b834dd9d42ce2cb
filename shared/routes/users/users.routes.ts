import { createRoute } from "@hono/zod-openapi";
import { privateRead, write } from "../../http/cache-policy.ts";
import { cacheTags } from "../../http/cache-tags.ts";
import type { User } from "../../schemas/user.schemas.ts";
import { loginRequest, registerRequest, updateUserRequest, userResponse } from "../../schemas/user.schemas.ts";
import { errorResponses, jsonBody, jsonResponse, tokenSecurity } from "../responses.ts";
import { defineRoute } from "../route-contract.ts";

const tag = "User and Authentication";

export const login = defineRoute({
  auth: "none",
  cache: write(() => []),
  route: createRoute({
    operationId: "Login",
    tags: [tag],
    method: "post",
    path: "/api/users/login",
    request: { body: jsonBody(loginRequest) },
    responses: { 200: jsonResponse(userResponse, "The user and a fresh token"), ...errorResponses(401, 422) },
  }),
});

export const register = defineRoute({
  auth: "none",
  // A 404 for this username may sit in a cache from before it existed.
  cache: write<unknown, { user: User }>(({ response }) =>
    response ? [cacheTags.profile(response.user.username)] : [],
  ),
  route: createRoute({
    operationId: "CreateUser",
    tags: [tag],
    method: "post",
    path: "/api/users",
    request: { body: jsonBody(registerRequest) },
    responses: { 201: jsonResponse(userResponse, "The new user and a token"), ...errorResponses(409, 422) },
  }),
});

export const getCurrentUser = defineRoute({
  auth: "required",
  cache: privateRead,
  route: createRoute({
    operationId: "GetCurrentUser",
    tags: [tag],
    method: "get",
    path: "/api/user",
    security: tokenSecurity,
    responses: { 200: jsonResponse(userResponse, "The current user"), ...errorResponses(401, 422) },
  }),
});

export const updateCurrentUser = defineRoute({
  auth: "required",
  cache: write<unknown, { user: User }>(({ response, subjects }) => [
    ...(subjects.previousUsername ? [cacheTags.profile(subjects.previousUsername)] : []),
    ...(response ? [cacheTags.profile(response.user.username)] : []),
    // `author=` and `favorited=` lists are keyed by username: under the old name they empty
    // out, under the new one they fill, and neither carried a tag naming this user before.
    ...(response && subjects.previousUsername !== undefined && subjects.previousUsername !== response.user.username
      ? [cacheTags.articleLists]
      : []),
  ]),
  route: createRoute({
    operationId: "UpdateCurrentUser",
    tags: [tag],
    method: "put",
    path: "/api/user",
    security: tokenSecurity,
    request: { body: jsonBody(updateUserRequest) },
    responses: { 200: jsonResponse(userResponse, "The updated user"), ...errorResponses(401, 409, 422) },
  }),
});
