import type { Channel, ServiceDetail } from './types.ts';

export type ChannelKind = 'online' | 'phone' | 'place';

export function channelKind(channel: Pick<Channel, 'type'>): ChannelKind | 'form' | 'unknown' {
  switch (channel.type) {
    case 'EChannel':
    case 'WebPage':
      return 'online';
    case 'Phone':
      return 'phone';
    case 'ServiceLocation':
      return 'place';
    case 'PrintableForm':
      return 'form';
    default:
      return 'unknown';
  }
}

/** The ways a service can be used, as far as its channels are known. */
export function serviceKinds(detail: ServiceDetail | null | undefined): ChannelKind[] {
  if (!detail) return [];
  const kinds = new Set(detail.channels.map(channelKind));
  return (['online', 'phone', 'place'] as const).filter((k) => kinds.has(k));
}
