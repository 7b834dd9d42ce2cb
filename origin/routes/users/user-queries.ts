import { eq, or, sql } from "drizzle-orm";
import type { FieldErrors } from "../../../shared/errors/app-error.ts";
import type { User } from "../../../shared/schemas/user.schemas.ts";
import type { Db } from "../../db/client.ts";
import { isUniqueViolation } from "../../db/postgres-errors.ts";
import { users } from "../../db/schema.ts";

export type UserRow = typeof users.$inferSelect;

export const toUser = (row: UserRow, token: string): User => ({
  email: row.email,
  token,
  username: row.username,
  bio: row.bio,
  image: row.image,
});

export const findUserById = async (db: Db, id: number): Promise<UserRow | undefined> => {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
};

export const findUserByEmail = async (db: Db, email: string): Promise<UserRow | undefined> => {
  const [row] = await db
    .select()
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.toLowerCase()));
  return row;
};

/**
 * Which of the given email and username belong to someone other than `exceptUserId`,
 * as the spec's 409 body: both fields are reported when both are taken.
 */
export const takenFields = async (
  db: Db,
  wanted: { email?: string | undefined; username?: string | undefined },
  exceptUserId?: number,
): Promise<FieldErrors | undefined> => {
  const conditions = [
    ...(wanted.email ? [eq(sql`lower(${users.email})`, wanted.email.toLowerCase())] : []),
    ...(wanted.username ? [eq(users.username, wanted.username)] : []),
  ];
  if (conditions.length === 0) return undefined;
  const rows = await db
    .select({ id: users.id, email: users.email, username: users.username })
    .from(users)
    .where(or(...conditions));
  const others = rows.filter((row) => row.id !== exceptUserId);
  const errors: FieldErrors = {};
  if (wanted.email && others.some((row) => row.email.toLowerCase() === wanted.email?.toLowerCase())) {
    errors.email = ["has already been taken"];
  }
  if (wanted.username && others.some((row) => row.username === wanted.username)) {
    errors.username = ["has already been taken"];
  }
  return Object.keys(errors).length > 0 ? errors : undefined;
};

/** A unique-index violation that slipped past `takenFields` in a race, as the same 409 body. */
export const takenFieldsFromViolation = (error: unknown): FieldErrors | undefined => {
  if (isUniqueViolation(error, "users_email_lower_key")) return { email: ["has already been taken"] };
  if (isUniqueViolation(error, "users_username_key")) return { username: ["has already been taken"] };
  return undefined;
};
