import type { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { newArticleRequest } from "./article.schemas.ts";
import { fieldErrorsFromIssues } from "./field-errors.ts";
import { registerRequest, updateUserRequest } from "./user.schemas.ts";

const errorsOf = (schema: z.ZodType, value: unknown) => {
  const result = schema.safeParse(value);
  if (result.success) throw new Error("expected a validation failure");
  return fieldErrorsFromIssues(result.error.issues);
};

describe("validation errors in the RealWorld shape", () => {
  it("keys each message by the innermost field", () => {
    expect(errorsOf(registerRequest, { user: { username: " ", email: "nope", password: "short" } })).toEqual({
      username: ["can't be blank"],
      email: ["is invalid"],
      password: ["is too short (minimum is 8 characters)"],
    });
  });

  it("reports missing and null fields as blank", () => {
    expect(errorsOf(newArticleRequest, { article: { title: null, body: "b" } })).toEqual({
      title: ["can't be blank"],
      description: ["can't be blank"],
    });
  });

  it("names the wrapper when the envelope is missing", () => {
    expect(errorsOf(newArticleRequest, { title: "t" })).toEqual({ article: ["can't be blank"] });
  });

  it("reports wrong types without leaking internals", () => {
    expect(errorsOf(newArticleRequest, { article: { title: 1, description: "d", body: "b", tagList: "x" } })).toEqual({
      title: ["must be a string"],
      tagList: ["must be an array of strings"],
    });
  });

  it("keys tag errors by tagList, not by index", () => {
    expect(
      errorsOf(newArticleRequest, { article: { title: "t", description: "d", body: "b", tagList: ["ok", ""] } }),
    ).toEqual({ tagList: ["can't be blank"] });
  });
});

describe("text Postgres cannot store", () => {
  it("refuses NUL and lone surrogates in the field they were sent in", () => {
    const unstorable = ["may not contain NUL or unpaired surrogate characters"];
    expect(errorsOf(newArticleRequest, { article: { title: "a\u0000b", description: "\ud800", body: "b" } })).toEqual({
      title: unstorable,
      description: unstorable,
    });
    expect(errorsOf(updateUserRequest, { user: { bio: "a\u0000" } })).toEqual({ bio: unstorable });
  });
});

describe("user update", () => {
  it("turns empty bio and image into null", () => {
    expect(updateUserRequest.parse({ user: { bio: "", image: "  " } })).toEqual({ user: { bio: null, image: null } });
  });

  it("needs at least one field (spec: UpdateUserRequest)", () => {
    expect(errorsOf(updateUserRequest, { user: {} })).toEqual({ user: ["must contain at least one field"] });
  });

  it("rejects null email and username", () => {
    expect(errorsOf(updateUserRequest, { user: { email: null, username: null } })).toEqual({
      email: ["can't be blank"],
      username: ["can't be blank"],
    });
  });
});
