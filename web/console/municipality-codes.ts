/**
 * Municipality codes as a member's staff type them for a subscription ("091, 049 837"): three
 * digits each, separated by commas, semicolons or spaces; checked in the browser so that a typo is
 * named before the server refuses the whole list (src/events/endpoints/subscribe.ts checks again).
 * No codes at all means everywhere (null).
 */
export function parseMunicipalities(text: string): { codes: string[] | null; wrong: string[] } {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  const wrong = parts.filter((p) => !/^[0-9]{3}$/.test(p));
  return { codes: parts.length ? [...new Set(parts)].sort() : null, wrong };
}
