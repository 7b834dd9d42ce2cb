import type { z } from "@hono/zod-openapi";
import type { FieldErrors } from "../errors/app-error.ts";

/**
 * Turns zod issues into the spec's field-keyed errors. The key is the innermost named
 * field (`user.email` -> `email`, `article.tagList[2]` -> `tagList`), so clients can show
 * each message next to its input.
 */
export const fieldErrorsFromIssues = (issues: readonly z.core.$ZodIssue[]): FieldErrors => {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const key = issueKey(issue);
    const messages = errors[key] ?? [];
    if (!messages.includes(issue.message)) errors[key] = [...messages, issue.message];
  }
  return errors;
};

const issueKey = (issue: z.core.$ZodIssue): string => {
  if (issue.code === "unrecognized_keys") return issue.keys[0] ?? "request";
  const named = issue.path.filter((segment): segment is string => typeof segment === "string");
  return named.at(-1) ?? "request";
};
