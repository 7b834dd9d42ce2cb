import { eq } from "drizzle-orm";
import { type RouteHandlers, requireAuth } from "../../../shared/app/app-env.ts";
import { AppError } from "../../../shared/errors/app-error.ts";
import { users } from "../../db/schema.ts";
import type { OriginDeps } from "../../origin-deps.ts";
import {
  findUserByEmail,
  findUserById,
  takenFields,
  takenFieldsFromViolation,
  toUser,
  type UserRow,
} from "./user-queries.ts";

type UserHandlers = Pick<RouteHandlers, "login" | "register" | "getCurrentUser" | "updateCurrentUser">;

const conflict = (fields: Record<string, string[]>) => new AppError("emailTaken", { fields });

/** Runs a write that may hit the users' unique indexes, turning a lost race into the same 409. */
const guardUnique = async <T>(write: () => Promise<T>): Promise<T> => {
  try {
    return await write();
  } catch (error) {
    const taken = takenFieldsFromViolation(error);
    throw taken ? conflict(taken) : error;
  }
};

export const createUserHandlers = ({ db, tokens, passwords }: OriginDeps): UserHandlers => {
  /** A valid token whose user no longer exists is as good as a forged one. */
  const currentUser = async (userId: number): Promise<UserRow> => {
    const row = await findUserById(db, userId);
    if (!row) throw new AppError("tokenInvalid");
    return row;
  };

  return {
    login: async (c) => {
      const { email, password } = c.req.valid("json").user;
      const row = await findUserByEmail(db, email);
      if (!(await passwords.verify(row?.passwordHash, password)) || !row) throw new AppError("credentialsInvalid");
      return c.json({ user: toUser(row, await tokens.sign(row.id)) }, 200);
    },

    register: async (c) => {
      const { username, email, password } = c.req.valid("json").user;
      const taken = await takenFields(db, { email, username });
      if (taken) throw conflict(taken);
      const passwordHash = await passwords.hash(password);
      const [row] = await guardUnique(() => db.insert(users).values({ username, email, passwordHash }).returning());
      if (!row) throw new Error("insert into users returned no row");
      return c.json({ user: toUser(row, await tokens.sign(row.id)) }, 201);
    },

    getCurrentUser: async (c) => {
      const auth = requireAuth(c.get("auth"));
      return c.json({ user: toUser(await currentUser(auth.userId), auth.token) }, 200);
    },

    updateCurrentUser: async (c) => {
      const auth = requireAuth(c.get("auth"));
      const { password, ...changes } = c.req.valid("json").user;
      const before = await currentUser(auth.userId);
      const taken = await takenFields(db, changes, auth.userId);
      if (taken) throw conflict(taken);
      const passwordHash = password === undefined ? undefined : await passwords.hash(password);
      const [row] = await guardUnique(() =>
        db
          .update(users)
          .set({ ...changes, passwordHash, updatedAt: new Date() })
          .where(eq(users.id, auth.userId))
          .returning(),
      );
      if (!row) throw new AppError("tokenInvalid");
      c.set("cacheSubjects", { previousUsername: before.username });
      return c.json({ user: toUser(row, auth.token) }, 200);
    },
  };
};
