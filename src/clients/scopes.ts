/**
 * What a client may do: `recommend` asks for recommendations through the AuroraAI API
 * (recommend_service, text_search, recommendation_feedback); `catalogue:write` imports and deletes
 * services; `recommender:teach` tells the recommender whether a service fits a life situation
 * (POST /api/v1/teaching); `transfer:send` deposits a person's attributes for another service (POST
 * /api/v1/transfers); `transfer:receive` redeems transfer tokens (POST /api/v1/transfers/redeem), for
 * the channels naming the client; `stats:read` reads its member's statistics (GET /api/v1/statistics).
 *
 * The operator's own clients (no member: made before membership, or by `aurora client create`) may
 * always recommend, as every active client could before the `recommend` scope existed; a member's
 * client recommends only with the scope. A new operator client gets every scope unless given fewer.
 *
 * A module of its own, without Node imports, so the console in the browser reads the same list.
 */
export const CLIENT_SCOPES = ['recommend', 'catalogue:write', 'recommender:teach', 'transfer:send', 'transfer:receive', 'stats:read'] as const;
export type ClientScope = (typeof CLIENT_SCOPES)[number];

/**
 * Scopes only a network administrator grants. `catalogue:write` lets a client change what the whole
 * network shows (even its own records reach every recommendation): the network decides who gets it,
 * not the member's own staff.
 */
export const ADMIN_GRANTED_SCOPES: readonly ClientScope[] = ['catalogue:write'];
