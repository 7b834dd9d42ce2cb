import { z } from "@hono/zod-openapi";

/**
 * Field rules shared by every request schema, worded the way the RealWorld suite
 * compares them ("can't be blank", "is invalid", ...).
 */
const blank = "can't be blank";

const typeMessage = (expected: string) => (issue: { input?: unknown }) =>
  issue.input === undefined || issue.input === null ? blank : `must be ${expected}`;

/**
 * Postgres `text` cannot hold NUL, and a lone surrogate has no UTF-8 form: either would
 * fail (or be altered) on the way into the database, so both are refused up front.
 */
const storableText = (value: string) => !value.includes("\u0000") && value.isWellFormed();
const unstorable = "may not contain NUL or unpaired surrogate characters";

/** Any string that Postgres can store and give back unchanged. */
export const storableString = () => z.string().refine(storableText, { error: unstorable });

/** A required string that may not be empty or whitespace only; stored trimmed. */
export const requiredText = (max: number) =>
  z
    .string({ error: typeMessage("a string") })
    .trim()
    .min(1, { error: blank, abort: true })
    .max(max, { error: `is too long (maximum is ${max} characters)` })
    .refine(storableText, { error: unstorable });

/** A string that, when present, follows the same rules as `requiredText`. */
export const optionalText = (max: number) => requiredText(max).optional();

/** `null` or `""` both mean "no value" (the suite sends either for bio and image). */
export const nullableText = (max: number) =>
  z
    .string({ error: typeMessage("a string or null") })
    .max(max, { error: `is too long (maximum is ${max} characters)` })
    .refine(storableText, { error: unstorable })
    .nullable()
    .transform((value) => (value === null || value.trim() === "" ? null : value));

export const emailField = requiredText(254).pipe(z.email({ error: "is invalid" }));

/** At least 8 characters, no composition rules; bounded so hashing cost stays bounded. */
export const passwordField = z
  .string({ error: typeMessage("a string") })
  .min(1, { error: blank, abort: true })
  .min(8, { error: "is too short (minimum is 8 characters)" })
  .max(256, { error: "is too long (maximum is 256 characters)" })
  .refine(storableText, { error: unstorable });

/**
 * Usernames appear in URL paths, so a slash or a control character would make a profile
 * unreachable; everything else (any script, spaces inside) is allowed.
 */
export const usernameField = requiredText(64).refine((value) => !/[/\\?#\p{Cc}]/u.test(value), {
  error: "may not contain / \\ ? # or control characters",
});

/** Ordered, de-duplicated tag names; `null` is rejected (the suite checks it). */
export const tagListField = z
  .array(requiredText(64), { error: typeMessage("an array of strings") })
  .max(20, { error: "may hold at most 20 tags" })
  .transform((tags) => [...new Set(tags)]);

const integerParam = (name: string, min: number, max: number, fallback: number) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === "") return fallback;
      const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
      if (!Number.isSafeInteger(value) || value < min || value > max) {
        ctx.addIssue({ code: "custom", message: `must be between ${min} and ${max}` });
        return z.NEVER;
      }
      return value;
    })
    .openapi({ param: { name, in: "query" }, type: "integer", minimum: min, maximum: max, default: fallback });

export const maxPageLimit = 100;
/** Deep offsets stay legal but bounded: Postgres walks every skipped row. */
export const maxPageOffset = 1_000_000;

export const paginationQuery = {
  limit: integerParam("limit", 1, maxPageLimit, 20),
  offset: integerParam("offset", 0, maxPageOffset, 0),
};

/** The `{ "user": {...} }` style envelope every request body uses. */
export const envelope = <Key extends string, Shape extends z.ZodType>(key: Key, inner: Shape) =>
  z.object({ [key]: inner } as { [K in Key]: Shape }, { error: typeMessage("a JSON object") });

export const objectOf = <Shape extends z.ZodRawShape>(shape: Shape) =>
  z.object(shape, { error: typeMessage("an object") });
