import { apiThroughEdge } from "../support/api-through-edge.ts";

/** The API suite through the edge on workerd, as Cloudflare runs it. */
export default apiThroughEdge("wrangler");
