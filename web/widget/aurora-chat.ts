import { AuroraChat } from './chat-element.ts';

/**
 * The embeddable chat widget (issue #19). One tag on any page:
 *   <script type="module" src="https://NETWORK/widget/aurora-chat.js" data-bot="BOT_ID"></script>
 * inserts the launcher by itself; without data-bot, the page places <aurora-chat bot="…"> where it likes.
 */
AuroraChat.defaultServer = new URL(import.meta.url).origin;
if (!customElements.get('aurora-chat')) customElements.define('aurora-chat', AuroraChat);

// A module script has no document.currentScript: find our own tag by its address.
const own = [...document.querySelectorAll<HTMLScriptElement>('script[src][data-bot]')].find((s) => s.src === import.meta.url);
if (own?.dataset.bot) {
  const element = document.createElement('aurora-chat');
  element.setAttribute('bot', own.dataset.bot);
  for (const name of ['lang', 'server', 'open'] as const) {
    const value = own.dataset[name];
    if (value !== undefined) element.setAttribute(name, value);
  }
  const place = () => document.body.append(element);
  if (document.body) place();
  else document.addEventListener('DOMContentLoaded', place, { once: true });
}

export { AuroraChat };
