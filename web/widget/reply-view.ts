import type { Reply, ServiceLink } from './api.ts';
import { h, hidden } from './dom.ts';
import { fill, TEXTS, type Language } from './texts.ts';

/**
 * One bot message, built whole before it joins the log, so a screen reader announces it once:
 * its text, the services as links (with "take my story here" where the service receives
 * transfers), help lines and the handover as tel: and chat links.
 */
export function replyView(reply: Pick<Reply, 'text' | 'language' | 'services' | 'help_lines' | 'handover'>, ui: Language, server: string, onTake: (service: ServiceLink, button: HTMLButtonElement) => void): HTMLElement {
  const t = TEXTS[ui];
  const message = h('div', { className: 'msg bot', lang: reply.language }, hidden(`${TEXTS[reply.language].bot} `), reply.text);
  const newTab = (href: string, text: string) => h('a', { href, target: '_blank', rel: 'noopener' }, text, hidden(` ${t.newWindow}`));

  if (reply.services.length > 0) {
    const list = h('ul', { 'aria-label': t.services });
    for (const service of reply.services) {
      // The network's links are its own paths (/r/… counts the click): on another site they need the network's origin.
      const href = webAddress(service.url, server) ?? `${server}/services/${encodeURIComponent(service.service_id)}`;
      const item = h('li', {}, newTab(href, service.name));
      if (service.transferable) {
        // The label names the service too: "take my story here" five times over would not say where.
        const button = h('button', { type: 'button', className: 'take', lang: ui, 'aria-label': `${t.takeStory}: ${service.name}` }, t.takeStory);
        button.addEventListener('click', () => onTake(service, button));
        item.append(h('br'), button);
      }
      list.append(item);
    }
    message.append(list);
  }
  if (reply.help_lines.length > 0) {
    const list = h('ul', { 'aria-label': t.helpLines });
    for (const line of reply.help_lines) list.append(h('li', {}, h('a', { href: `tel:${line.phone.replace(/[^\d+]/g, '')}` }, `${line.name}: ${line.phone}`), line.description ? ` – ${line.description}` : ''));
    message.append(list);
  }
  if (reply.handover && (reply.handover.phone || reply.handover.chat_url)) {
    const list = h('ul', { lang: ui });
    if (reply.handover.phone) list.append(h('li', {}, h('a', { href: `tel:${reply.handover.phone.replace(/[^\d+]/g, '')}` }, fill(t.handoverPhone, { phone: reply.handover.phone }))));
    const chat = webAddress(reply.handover.chat_url, server);
    if (chat) list.append(h('li', {}, newTab(chat, t.handoverChat)));
    message.append(list);
  }
  return message;
}

/** An http(s) address, a relative one read against the network; anything else (javascript:, data:) is no link. */
export function webAddress(url: string | null | undefined, server: string): string | null {
  if (!url) return null;
  try {
    const resolved = new URL(url, `${server}/`);
    return resolved.protocol === 'https:' || resolved.protocol === 'http:' ? resolved.href : null;
  } catch {
    return null;
  }
}
