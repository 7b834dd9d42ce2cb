/** The JWT secret the test origin runs with, so tests can forge expired or tampered tokens. */
export const testJwtSecret = "conduit-test-secret-0123456789abcdef0123456789";
export const testJwtIssuer = "conduit-hybrid";
