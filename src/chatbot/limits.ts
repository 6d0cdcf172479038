import type { AddressLimit } from '../rate-limits/per-address.ts';

/** The chatbot's limits: counts and sizes of a content pack, bots per member, the conversation API's per-address limits. */

export const BOTS_PER_MEMBER = 50;
export const VERSIONS_PER_BOT = 500;
export const INTENTS_PER_PACK = 300;
export const EXAMPLES_PER_INTENT = 200;
export const EXAMPLE_LENGTH = 300;
export const ANSWER_LENGTH = 2000;
export const SERVICES_PER_ANSWER = 10;
export const FORMS_PER_PACK = 50;
export const SLOTS_PER_FORM = 5;
export const TESTS_PER_PACK = 100;
export const TRANSCRIPT_LENGTH = 5000;
export const MESSAGE_LENGTH = 1000;
/** A conversation is a person's few minutes; one that goes on past this many turns is a script. */
export const MESSAGES_PER_CONVERSATION = 200;

/**
 * New conversations per address: a library's or a school's public machines share one address, and
 * each page view of a widget may start one; the limit keeps one machine from filling the tables.
 */
export const CONVERSATIONS: AddressLimit = { name: 'chatbot-conversation-address', limit: 300, windowSeconds: 3600, what: 'conversations' };
/** Messages per address: about one every two seconds for an hour from one address, room for a shared office. */
export const MESSAGES: AddressLimit = { name: 'chatbot-message-address', limit: 2000, windowSeconds: 3600, what: 'messages' };
