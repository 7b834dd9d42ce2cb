import { createRoute, z } from "@hono/zod-openapi";
import { cacheableRead, write } from "../../http/cache-policy.ts";
import { cacheTags } from "../../http/cache-tags.ts";
import { storableString } from "../../schemas/field-rules.ts";
import { type Profile, profileResponse } from "../../schemas/user.schemas.ts";
import { errorResponses, jsonResponse, tokenSecurity } from "../responses.ts";
import { defineRoute } from "../route-contract.ts";

const tag = "Profile";

const usernameParams = z.object({
  username: storableString()
    .max(256)
    .openapi({ param: { name: "username", in: "path" } }),
});

export const getProfile = defineRoute({
  auth: "optional",
  cache: cacheableRead<{ profile: Profile }>({
    sMaxAge: 60,
    staleWhileRevalidate: 300,
    staleIfError: 86_400,
    tags: ({ response }) => [cacheTags.profile(response.profile.username)],
  }),
  route: createRoute({
    operationId: "GetProfileByUsername",
    tags: [tag],
    method: "get",
    path: "/api/profiles/{username}",
    request: { params: usernameParams },
    responses: { 200: jsonResponse(profileResponse, "The profile"), ...errorResponses(401, 404, 422) },
  }),
});

// `following` is per reader: anonymous copies never show it, so following changes no cached body.
const followWrite = write(() => []);

export const followUser = defineRoute({
  auth: "required",
  cache: followWrite,
  route: createRoute({
    operationId: "FollowUserByUsername",
    tags: [tag],
    method: "post",
    path: "/api/profiles/{username}/follow",
    security: tokenSecurity,
    request: { params: usernameParams },
    responses: { 200: jsonResponse(profileResponse, "The followed profile"), ...errorResponses(401, 404, 422) },
  }),
});

export const unfollowUser = defineRoute({
  auth: "required",
  cache: followWrite,
  route: createRoute({
    operationId: "UnfollowUserByUsername",
    tags: [tag],
    method: "delete",
    path: "/api/profiles/{username}/follow",
    security: tokenSecurity,
    request: { params: usernameParams },
    responses: { 200: jsonResponse(profileResponse, "The unfollowed profile"), ...errorResponses(401, 404, 422) },
  }),
});
