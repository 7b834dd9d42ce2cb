/** Ids are `serial` (int4): a larger number in a token or a path names no row at all. */
export const postgresIntegerMax = 2_147_483_647;
