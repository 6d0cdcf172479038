/**
 * The short form of an order's id that the person and the provider both see and say to each other
 * ("order 3F9A-0C12"): the network keeps no names, so this is how they find the same order. The
 * first eight hex digits of its UUID, upper case, in two groups of four; for finding one order
 * among a provider's or a person's own, not for looking one up network-wide.
 */
export function orderReference(orderId: string): string {
  const hex = orderId.replace(/-/g, '').slice(0, 8).toUpperCase();
  return `${hex.slice(0, 4)}-${hex.slice(4)}`;
}
