import { z } from "@hono/zod-openapi";
import {
  emailField,
  envelope,
  nullableText,
  objectOf,
  passwordField,
  requiredText,
  usernameField,
} from "./field-rules.ts";

export const loginRequest = envelope(
  "user",
  objectOf({ email: requiredText(254), password: requiredText(256) }),
).openapi("LoginUserRequest");

export const registerRequest = envelope(
  "user",
  objectOf({ username: usernameField, email: emailField, password: passwordField }),
).openapi("NewUserRequest");

export const updateUserRequest = envelope(
  "user",
  objectOf({
    email: emailField.optional(),
    username: usernameField.optional(),
    password: passwordField.optional(),
    bio: nullableText(10_000).optional(),
    image: nullableText(2_048).optional(),
  }).refine((changes) => Object.values(changes).some((value) => value !== undefined), {
    error: "must contain at least one field",
  }),
).openapi("UpdateUserRequest");

export type UpdateUserInput = z.infer<typeof updateUserRequest>["user"];

export const userSchema = z
  .object({
    email: z.string(),
    token: z.string(),
    username: z.string(),
    bio: z.string().nullable(),
    image: z.string().nullable(),
  })
  .openapi("User");

export const userResponse = z.object({ user: userSchema }).openapi("UserResponse");
export type User = z.infer<typeof userSchema>;

export const profileSchema = z
  .object({
    username: z.string(),
    bio: z.string().nullable(),
    image: z.string().nullable(),
    following: z.boolean(),
  })
  .openapi("Profile");

export const profileResponse = z.object({ profile: profileSchema }).openapi("ProfileResponse");
export type Profile = z.infer<typeof profileSchema>;
