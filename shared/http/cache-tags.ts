/** The cache tag vocabulary: every tag a read carries or a write purges is built here. */
export const cacheTags = {
  /** Every article list: a new or deleted article shifts all of them. */
  articleLists: "articles",
  article: (slug: string) => `article:${slug}`,
  comments: (slug: string) => `comments:${slug}`,
  profile: (username: string) => `profile:${username}`,
  favoritesOf: (username: string) => `favorites:${username}`,
  tags: "tags",
} as const;
