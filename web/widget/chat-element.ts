import { CallError, Conversation, type Reply, type ServiceLink } from './api.ts';
import { consentView } from './consent-view.ts';
import { h, hidden } from './dom.ts';
import { replyView } from './reply-view.ts';
import { STYLES } from './styles.ts';
import { isLanguage, LANGUAGE_NAMES, LANGUAGES, TEXTS, type Language } from './texts.ts';

const CHAT_ICON = '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"/></svg>';

/**
 * <aurora-chat bot="…" lang="fi|sv|en" server="https://network" open>: a launcher button and a
 * chat panel in a shadow root. The panel is a non-modal dialog; the messages are a polite live log
 * that gets each message once, whole; Escape closes it and gives focus back to the launcher.
 */
export class AuroraChat extends HTMLElement {
  static observedAttributes = ['lang', 'open'];
  /** The origin the script came from: the network, unless the element names another. */
  static defaultServer = '';

  private readonly shadow = this.attachShadow({ mode: 'open' });
  private ui: Language = 'fi';
  private conversation: Conversation | null = null;
  private starting: Promise<Conversation | null> | null = null;
  private busy = false;
  private built = false;
  private languages: Language[] = [...LANGUAGES];

  private readonly root = h('div');
  private readonly launcher = h('button', { type: 'button', className: 'launcher', 'aria-expanded': 'false', 'aria-controls': 'panel' });
  private readonly panel = h('div', { id: 'panel', className: 'panel', role: 'dialog', 'aria-labelledby': 'title', hidden: true });
  private readonly heading = h('h2', { id: 'title' });
  private readonly languageLabel = h('span');
  private readonly languageSelect = h('select');
  private readonly closeButton = h('button', { type: 'button' }, '×');
  private readonly body = h('div', { className: 'body' });
  private readonly log = h('div', { className: 'log', role: 'log', 'aria-live': 'polite', tabindex: '0' });
  private readonly typing = h('p', { className: 'typing', 'aria-hidden': 'true', hidden: true });
  private readonly alert = h('div', { className: 'alert', role: 'alert' });
  private readonly quick = h('fieldset', { className: 'quick', hidden: true });
  private readonly inputLabel = h('label', { for: 'input' });
  private readonly input = h('input', { id: 'input', type: 'text', autocomplete: 'off', maxlength: '1000' });
  private readonly sendButton = h('button', { type: 'submit', className: 'primary' });
  private consent: HTMLElement | null = null;

  private get server() {
    return (this.getAttribute('server') || AuroraChat.defaultServer || location.origin).replace(/\/+$/, '');
  }

  connectedCallback() {
    if (this.built) return;
    this.built = true;
    const own = this.getAttribute('lang');
    const page = document.documentElement.lang.slice(0, 2).toLowerCase();
    this.ui = isLanguage(own) ? own : isLanguage(page) ? page : 'fi';

    const style = h('style');
    style.textContent = STYLES;
    this.launcher.innerHTML = CHAT_ICON;
    this.launcher.append(h('span'));
    this.launcher.addEventListener('click', () => (this.panel.hidden ? this.show(true) : this.hide()));
    this.closeButton.addEventListener('click', () => this.hide());
    this.languageSelect.addEventListener('change', () => void this.switchLanguage(this.languageSelect.value as Language));
    const form = h('form', { className: 'composer' }, this.inputLabel, this.input, this.sendButton);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = this.input.value.trim();
      if (!text || this.busy) return;
      this.input.value = '';
      void this.say(text);
    });
    this.body.append(this.log, this.typing, this.alert, this.quick, form);
    this.panel.append(h('header', {}, this.heading, h('label', {}, this.languageLabel, this.languageSelect), this.closeButton), this.body);
    // Escape anywhere in the widget (the launcher too, while open) closes the consent view, then the chat.
    this.root.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || this.panel.hidden) return;
      event.preventDefault();
      if (this.consent) this.closeConsent();
      else this.hide();
    });
    this.root.append(this.launcher, this.panel);
    this.shadow.append(style, this.root);
    this.label();
    if (this.hasAttribute('open')) this.show(false);
  }

  attributeChangedCallback(name: string, _old: string | null, value: string | null) {
    if (!this.built) return;
    if (name === 'lang' && isLanguage(value) && value !== this.ui) void this.switchLanguage(value);
    if (name === 'open') value === null ? this.hide(false) : this.show(false);
  }

  disconnectedCallback() {
    this.conversation?.close();
  }

  /** Every fixed text in the person's language. */
  private label() {
    const t = TEXTS[this.ui];
    this.root.lang = this.ui;
    this.launcher.querySelector('span')!.textContent = t.launcher;
    this.heading.textContent = t.title;
    this.languageLabel.textContent = t.language;
    this.languageSelect.replaceChildren(...this.languages.map((l) => h('option', { value: l, lang: l, selected: l === this.ui }, LANGUAGE_NAMES[l])));
    this.closeButton.setAttribute('aria-label', t.close);
    this.log.setAttribute('aria-label', t.log);
    this.typing.textContent = t.waiting;
    this.inputLabel.textContent = t.input;
    this.sendButton.textContent = t.send;
  }

  private show(focus: boolean) {
    this.panel.hidden = false;
    this.launcher.setAttribute('aria-expanded', 'true');
    if (focus) this.input.focus();
    if (!this.conversation) void this.start();
  }

  private hide(focus = true) {
    if (this.consent) this.closeConsent();
    this.panel.hidden = true;
    this.launcher.setAttribute('aria-expanded', 'false');
    if (focus) this.launcher.focus();
  }

  private start(): Promise<Conversation | null> {
    const bot = this.getAttribute('bot');
    if (!bot) return Promise.resolve(null);
    this.starting ??= (async () => {
      this.setBusy(true);
      try {
        const conversation = await Conversation.start(this.server, bot, this.ui);
        this.conversation = conversation;
        this.languages = conversation.started.languages.filter(isLanguage);
        if (!this.languages.includes(this.ui)) this.languages.push(this.ui);
        this.label();
        this.addMessage(replyView({ text: conversation.started.greeting, language: conversation.started.language, services: [], help_lines: [], handover: null }, this.ui, this.server, () => {}));
        return conversation;
      } catch (error) {
        this.fail(error, () => void this.start(), error instanceof CallError && error.status === 404 ? TEXTS[this.ui].notFound : TEXTS[this.ui].startFailed);
        return null;
      } finally {
        this.starting = null;
        this.setBusy(false);
      }
    })();
    return this.starting;
  }

  private async switchLanguage(language: Language) {
    if (language === this.ui) return;
    this.ui = language;
    this.label();
    if (!this.conversation) return;
    // The server keeps a conversation's language; a new one greets and answers in the chosen one.
    this.conversation.close();
    this.conversation = null;
    this.quick.hidden = true;
    this.addMessage(h('div', { className: 'msg note' }, TEXTS[language].languageChanged));
    await this.start();
  }

  private async say(text: string, fromQuick = false, shown = false) {
    if (!shown) this.addMessage(h('div', { className: 'msg me' }, hidden(`${TEXTS[this.ui].you} `), text));
    const conversation = this.conversation ?? (await this.start());
    if (!conversation) return;
    this.setBusy(true);
    try {
      this.showReply(await conversation.send(text), fromQuick);
    } catch (error) {
      if (error instanceof CallError && error.status === 404) {
        this.conversation?.close();
        this.conversation = null;
        this.fail(error, () => void this.start(), TEXTS[this.ui].expired, TEXTS[this.ui].restart);
      } else this.fail(error, () => void this.say(text, fromQuick, true));
    } finally {
      this.setBusy(false);
    }
  }

  private showReply(reply: Reply, fromQuick: boolean) {
    this.addMessage(replyView(reply, this.ui, this.server, (service, button) => void this.offer(service, button)));
    this.quick.replaceChildren();
    this.quick.hidden = reply.expects !== 'meter';
    if (reply.expects === 'meter') {
      this.quick.append(h('legend', {}, TEXTS[this.ui].meter));
      for (let n = 0; n <= 10; n++) {
        const button = h('button', { type: 'button' }, String(n));
        button.addEventListener('click', () => {
          if (this.busy) return;
          void this.say(String(n), true);
        });
        this.quick.append(button);
      }
      // A keyboard user who answered with a button goes on with the next question's buttons.
      if (fromQuick) this.quick.querySelector('button')?.focus();
    } else if (fromQuick) this.input.focus();
    // The buttons took room from the log: its newest message stays in view.
    this.log.scrollTop = this.log.scrollHeight;
  }

  private async offer(service: ServiceLink, button: HTMLButtonElement) {
    const conversation = this.conversation;
    if (!conversation || this.busy) return;
    this.setBusy(true);
    try {
      const offer = await conversation.transferOffer(service.service_id);
      this.consent = consentView(offer, this.ui, this.server, () => this.closeConsent(button));
      this.body.hidden = true;
      this.panel.append(this.consent);
      this.consent.querySelector('h3')?.focus();
    } catch (error) {
      if (error instanceof CallError && error.status === 422) this.addMessage(h('div', { className: 'msg note' }, TEXTS[this.ui].nothingToTake));
      else this.fail(error, () => void this.offer(service, button), TEXTS[this.ui].offerFailed);
    } finally {
      this.setBusy(false);
    }
  }

  private closeConsent(opener?: HTMLElement) {
    this.consent?.remove();
    this.consent = null;
    this.body.hidden = false;
    (opener?.isConnected ? opener : this.input).focus();
  }

  private addMessage(message: HTMLElement) {
    this.log.append(message);
    this.log.scrollTop = this.log.scrollHeight;
  }

  private setBusy(busy: boolean) {
    this.busy = busy;
    this.typing.hidden = !busy;
    this.sendButton.setAttribute('aria-disabled', String(busy));
    if (busy) this.alert.replaceChildren();
  }

  /** A clear message in the person's language and a way to try again; the widget keeps working. */
  private fail(error: unknown, retry: () => void, message?: string, action?: string) {
    const t = TEXTS[this.ui];
    const status = error instanceof CallError ? error.status : 0;
    const text = status === 429 ? t.tooMany : (message ?? t.offline);
    const button = h('button', { type: 'button', className: 'secondary' }, action ?? t.retry);
    button.addEventListener('click', () => {
      this.alert.replaceChildren();
      retry();
    });
    this.alert.replaceChildren(h('p', {}, text), button);
    this.log.scrollTop = this.log.scrollHeight;
  }
}
