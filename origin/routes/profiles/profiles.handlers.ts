import { and, eq, sql } from "drizzle-orm";
import { type RouteHandlers, requireAuth } from "../../../shared/app/app-env.ts";
import { AppError } from "../../../shared/errors/app-error.ts";
import type { Profile } from "../../../shared/schemas/user.schemas.ts";
import type { Db } from "../../db/client.ts";
import { follows, users } from "../../db/schema.ts";
import type { OriginDeps } from "../../origin-deps.ts";

type ProfileHandlers = Pick<RouteHandlers, "getProfile" | "followUser" | "unfollowUser">;

interface ProfileRow {
  id: number;
  profile: Profile;
}

const findProfile = async (db: Db, username: string, viewerId: number | null): Promise<ProfileRow> => {
  const following = viewerId
    ? sql<boolean>`exists (select 1 from ${follows} where ${follows.followerId} = ${viewerId} and ${follows.followeeId} = ${users.id})`
    : sql<boolean>`false`;
  const [row] = await db
    .select({ id: users.id, username: users.username, bio: users.bio, image: users.image, following })
    .from(users)
    .where(eq(users.username, username));
  if (!row) throw new AppError("profileNotFound");
  const { id, ...profile } = row;
  return { id, profile };
};

export const createProfileHandlers = ({ db }: OriginDeps): ProfileHandlers => {
  const setFollowing = async (userId: number, username: string, follow: boolean): Promise<Profile> => {
    const { id, profile } = await findProfile(db, username, userId);
    if (follow) {
      await db.insert(follows).values({ followerId: userId, followeeId: id }).onConflictDoNothing();
    } else {
      await db.delete(follows).where(and(eq(follows.followerId, userId), eq(follows.followeeId, id)));
    }
    return { ...profile, following: follow };
  };

  return {
    getProfile: async (c) => {
      const { profile } = await findProfile(db, c.req.valid("param").username, c.get("auth")?.userId ?? null);
      return c.json({ profile }, 200);
    },
    followUser: async (c) => {
      const profile = await setFollowing(requireAuth(c.get("auth")).userId, c.req.valid("param").username, true);
      return c.json({ profile }, 200);
    },
    unfollowUser: async (c) => {
      const profile = await setFollowing(requireAuth(c.get("auth")).userId, c.req.valid("param").username, false);
      return c.json({ profile }, 200);
    },
  };
};
