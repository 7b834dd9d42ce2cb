/**
 * How much data a seed run makes. Comments, favorites and follows scale with the articles
 * and users unless given; the same plan and seed always make the same rows.
 */
export interface SeedSizes {
  users: number;
  articles: number;
  comments?: number | undefined;
  favorites?: number | undefined;
  follows?: number | undefined;
}

export interface SeedPlan {
  users: number;
  articles: number;
  comments: number;
  favorites: number;
  follows: number;
  /** The PRNG seed: one number decides every generated value. */
  seed: number;
}

/** Per-article averages of a busy Conduit: five comments and five favorites. */
const commentsPerArticle = 5;
const favoritesPerArticle = 5;
const followsPerUser = 5;

export const seedPlan = (sizes: SeedSizes, seed = 1): SeedPlan => {
  const users = sizes.users;
  const articles = users === 0 ? 0 : sizes.articles;
  return {
    users,
    articles,
    comments: sizes.comments ?? articles * commentsPerArticle,
    // A pair (user, article) or (follower, followee) occurs once; capped at half of all
    // possible pairs, so drawing distinct pairs at random stays quick.
    favorites: Math.min(sizes.favorites ?? articles * favoritesPerArticle, Math.floor((users * articles) / 2)),
    follows: Math.min(sizes.follows ?? users * followsPerUser, Math.floor((users * Math.max(users - 1, 0)) / 2)),
    seed,
  };
};
