import * as articles from "./articles/articles.routes.ts";
import * as comments from "./comments/comments.routes.ts";
import * as favorites from "./favorites/favorites.routes.ts";
import * as profiles from "./profiles/profiles.routes.ts";
import * as tags from "./tags/tags.routes.ts";
import * as users from "./users/users.routes.ts";

/**
 * Every API route, keyed by name. Order matters where paths overlap: the static
 * `/api/articles/feed` is registered before `/api/articles/{slug}`.
 */
export const routeTable = {
  login: users.login,
  register: users.register,
  getCurrentUser: users.getCurrentUser,
  updateCurrentUser: users.updateCurrentUser,
  getProfile: profiles.getProfile,
  followUser: profiles.followUser,
  unfollowUser: profiles.unfollowUser,
  feedArticles: articles.feedArticles,
  listArticles: articles.listArticles,
  getArticle: articles.getArticle,
  createArticle: articles.createArticle,
  updateArticle: articles.updateArticle,
  deleteArticle: articles.deleteArticle,
  favoriteArticle: favorites.favoriteArticle,
  unfavoriteArticle: favorites.unfavoriteArticle,
  listComments: comments.listComments,
  createComment: comments.createComment,
  deleteComment: comments.deleteComment,
  listTags: tags.listTags,
} as const;

export type RouteTable = typeof routeTable;
export type RouteName = keyof RouteTable;
