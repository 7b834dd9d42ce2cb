import { apiThroughEdge } from "../support/api-through-edge.ts";

/** The API suite through the edge on two Deno isolates, so reads and writes land on different ones. */
export default apiThroughEdge("deno", 2);
