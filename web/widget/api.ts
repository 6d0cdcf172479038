import type { Language } from './texts.ts';

/**
 * The widget's conversation with the network: REST for starting and as the fallback, a WebSocket
 * for the messages once it is open (one connection instead of a request per message, which on a
 * phone network saves a round trip or two each time). Shapes as docs/chatbot.md and contract.md
 * (issue #19) give them.
 */

export interface ServiceLink {
  service_id: string;
  name: string;
  url: string | null;
  /** Whether the service receives a person's story (contract.md point 1); absent from older servers. */
  transferable?: boolean;
}
export interface Reply {
  text: string;
  language: Language;
  intent: string | null;
  services: ServiceLink[];
  help_lines: { name: string; phone: string; description: string }[];
  handover: { phone: string | null; chat_url: string | null } | null;
  expects: string | null;
}
export interface Started {
  conversation_id: string;
  language: Language;
  languages: Language[];
  greeting: string;
}
export interface Receiver {
  kind: 'member' | 'operator' | 'demo';
  organisation: string | null;
  business_id: string | null;
}
export interface TransferTarget {
  channel_id: string;
  channel_type: string;
  channel_name: string | Partial<Record<Language, string>> | null;
  mode: 'link' | 'code';
  accepts: string[];
  receiver: Receiver;
}
export interface Offer {
  service: { id: string; name: string };
  targets: TransferTarget[];
  attributes: { name: string; label: string; value: unknown; value_text: string }[];
  purpose: string;
}
export interface Sent {
  consent_id: string;
  mode: 'link' | 'code';
  link?: string;
  code_display?: string;
  qr_svg?: string;
}

/** A failed call: status 0 when the network did not answer at all. */
export class CallError extends Error {
  constructor(
    readonly status: number,
    readonly type: string = '',
    readonly detail: string = '',
  ) {
    super(detail || `status ${status}`);
  }
}

async function call<T>(url: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...headers }, body: JSON.stringify(body), credentials: 'omit' });
  } catch {
    throw new CallError(0);
  }
  const json = (await response.json().catch(() => ({}))) as T & { type?: string; detail?: string; title?: string };
  if (!response.ok) throw new CallError(response.status, json.type ?? '', json.detail ?? json.title ?? '');
  return json;
}

export class Conversation {
  private socket: WebSocket | null = null;
  private waiting: { resolve: (reply: Reply) => void; reject: (error: Error) => void }[] = [];

  private constructor(
    private readonly base: string,
    readonly started: Started,
  ) {}

  static async start(server: string, bot: string, language: Language): Promise<Conversation> {
    const base = `${server}/api/v1/bots/${encodeURIComponent(bot)}/conversations`;
    const started = await call<Started>(base, { language });
    const conversation = new Conversation(`${base}/${started.conversation_id}`, started);
    conversation.openSocket();
    return conversation;
  }

  get id() {
    return this.started.conversation_id;
  }

  private openSocket() {
    if (typeof WebSocket === 'undefined') return;
    let socket: WebSocket;
    try {
      socket = new WebSocket(`${this.base.replace(/^http/, 'ws')}/socket`);
    } catch {
      return;
    }
    socket.onmessage = (event) => {
      const next = this.waiting.shift();
      if (!next) return;
      try {
        const data = JSON.parse(String(event.data)) as Reply & { problem?: { status?: number; type?: string; detail?: string } };
        if (data.problem) next.reject(new CallError(data.problem.status ?? 500, data.problem.type ?? '', data.problem.detail ?? ''));
        else next.resolve(data);
      } catch {
        next.reject(new CallError(0));
      }
    };
    // Once it closes (a proxy that does not pass WebSockets, the server restarting), REST carries on.
    socket.onclose = () => {
      this.socket = null;
      for (const pending of this.waiting.splice(0)) pending.reject(new CallError(0));
    };
    this.socket = socket;
  }

  /** The bot's reply to one message; over the socket when it is open, else over REST. */
  send(text: string): Promise<Reply> {
    const socket = this.socket;
    if (socket && socket.readyState === WebSocket.OPEN) {
      return new Promise<Reply>((resolve, reject) => {
        this.waiting.push({ resolve, reject });
        socket.send(JSON.stringify({ text }));
      });
    }
    return call<Reply>(`${this.base}/messages`, { text });
  }

  /** What the person could take to a service from this conversation (contract.md point 2). */
  transferOffer(serviceId: string): Promise<Offer> {
    return call<Offer>(`${this.base}/transfer-offer`, { service_id: serviceId });
  }

  close() {
    this.socket?.close();
    this.socket = null;
  }
}

/** Sends the chosen attributes once, with the person key, as the citizen app's Transfer view does. */
export function sendStory(server: string, personKey: string, body: { channel_id: string; attributes: Record<string, unknown>; purpose: string; language: Language; service_id: string }): Promise<Sent> {
  return call<Sent>(`${server}/api/v1/my/transfers`, body, { authorization: `Bearer ${personKey}` });
}

/** Withdraws a consent given in the widget, before the service has used it (409 once it has). */
export function withdrawConsent(server: string, personKey: string, consentId: string): Promise<{ status: string }> {
  return call<{ status: string }>(`${server}/api/v1/my/consents/${encodeURIComponent(consentId)}/withdraw`, {}, { authorization: `Bearer ${personKey}` });
}
