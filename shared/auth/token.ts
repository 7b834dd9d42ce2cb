import { errors, jwtVerify, SignJWT } from "jose";
import type { AuthContext } from "../http/auth-rule.ts";

/**
 * Conduit tokens: HS256 JWTs whose subject is the user id. Both tiers verify them with
 * WebCrypto (jose), so the edge can refuse a bad token without asking the origin.
 */
export interface TokenSettings {
  secret: string;
  ttlSeconds: number;
  issuer: string;
}

export type TokenCheck = { ok: true; auth: AuthContext } | { ok: false; reason: "invalid" | "expired" };

const algorithm = "HS256";

export const createTokenService = (settings: TokenSettings) => {
  const key = new TextEncoder().encode(settings.secret);

  const sign = (userId: number): Promise<string> =>
    new SignJWT({})
      .setProtectedHeader({ alg: algorithm })
      .setSubject(String(userId))
      .setIssuer(settings.issuer)
      .setIssuedAt()
      .setExpirationTime(`${settings.ttlSeconds}s`)
      .sign(key);

  const verify = async (token: string): Promise<TokenCheck> => {
    try {
      const { payload } = await jwtVerify(token, key, { algorithms: [algorithm], issuer: settings.issuer });
      const userId = Number(payload.sub);
      if (!Number.isSafeInteger(userId) || userId <= 0) return { ok: false, reason: "invalid" };
      return { ok: true, auth: { userId, token } };
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { ok: false, reason: "expired" };
      if (error instanceof errors.JOSEError) return { ok: false, reason: "invalid" };
      throw error;
    }
  };

  return { sign, verify };
};

export type TokenService = ReturnType<typeof createTokenService>;

export type PresentedToken = { kind: "absent" } | { kind: "malformed" } | { kind: "token"; token: string };

/** `Authorization: Token <jwt>` per the spec; `Bearer` is accepted too, as many clients send it. */
export const tokenFromAuthorizationHeader = (header: string | undefined): PresentedToken => {
  if (header === undefined || header.trim() === "") return { kind: "absent" };
  const token = /^(?:Token|Bearer) +(\S+) *$/i.exec(header)?.[1];
  return token ? { kind: "token", token } : { kind: "malformed" };
};
