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
      const item = h('li', {}, newTab(service.url ?? `${server}/services/${encodeURIComponent(service.service_id)}`, service.name));
      if (service.transferable) {
        const button = h('button', { type: 'button', className: 'take', lang: ui }, t.takeStory, hidden(`: ${service.name}`));
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
    if (reply.handover.chat_url && /^https?:\/\//.test(reply.handover.chat_url)) list.append(h('li', {}, newTab(reply.handover.chat_url, t.handoverChat)));
    message.append(list);
  }
  return message;
}
