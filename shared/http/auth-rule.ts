/**
 * `required`: 401 without a valid token. `optional`: a valid token personalises
 * (`favorited`, `following`), a bad one is still a 401. `none`: the header is ignored.
 */
export type AuthRule = "required" | "optional" | "none";

export interface AuthContext {
  userId: number;
  token: string;
}
