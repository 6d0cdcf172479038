/** The demo receiving service's API client: an operator client (no member) with this fixed name. Kept apart so the consent domain can tell the demo without importing the demo's set-up. */
export const DEMO_CLIENT_NAME = 'Aurora demo service';
