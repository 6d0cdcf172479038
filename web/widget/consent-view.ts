import { CallError, sendStory, withdrawConsent, type Offer, type Receiver, type Sent, type TransferTarget } from './api.ts';
import { h, hidden } from './dom.ts';
import { ensurePersonKey } from './person-key.ts';
import { webAddress } from './reply-view.ts';
import { fill, TEXTS, type Language } from './texts.ts';

/**
 * The consent dialogue of contract.md point 3: the receiver named, the channel chosen when there are
 * several, each attribute its own checkbox (none ticked beforehand); only "send" sends, once, to
 * POST /api/v1/my/transfers with the person key, as the citizen app's Transfer view does. Then the
 * one-time link, or the code and its QR, and where the consent can be withdrawn.
 */
export function consentView(offer: Offer, ui: Language, server: string, close: () => void): HTMLElement {
  const t = TEXTS[ui];
  const service = offer.service.name;
  const targets = offer.targets.filter((x, i) => offer.targets.findIndex((y) => y.channel_id === x.channel_id) === i);
  let target = targets[0]!;
  const heading = h('h3', { tabindex: '-1', id: 'consent-title' }, fill(t.consentTitle, { service }));
  const section = h('section', { className: 'consent', 'aria-labelledby': 'consent-title' }, heading);

  const receiverLine = h('p');
  const demoNote = h('p', { className: 'demo' }, t.demoNote);
  const showReceiver = () => {
    receiverLine.replaceChildren(h('strong', {}, `${t.receiver}: `), receiverText(target.receiver, ui));
    demoNote.hidden = target.receiver.kind !== 'demo';
  };
  section.append(receiverLine, demoNote, h('p', {}, h('strong', {}, `${t.purpose}: `), offer.purpose));

  const form = h('form', { novalidate: true });
  if (targets.length > 1) {
    const channels = h('fieldset', {}, h('legend', {}, t.channel));
    targets.forEach((x, i) => {
      const radio = h('input', { type: 'radio', name: 'channel', value: x.channel_id, checked: i === 0 });
      radio.addEventListener('change', () => {
        target = x;
        showReceiver();
        showAttributes();
      });
      channels.append(h('label', {}, radio, h('span', {}, fill(x.mode === 'link' ? t.channelLink : t.channelCode, { name: channelName(x, ui) }))));
    });
    form.append(channels);
  }
  const attributes = h('fieldset', {}, h('legend', {}, t.attributes));
  const boxes = new Map<string, HTMLInputElement>();
  const showAttributes = () => {
    attributes.querySelectorAll('label').forEach((l) => l.remove());
    for (const attribute of offer.attributes) {
      if (!target.accepts.includes(attribute.name)) continue;
      // A fresh, unticked box whenever the channel changes: consent is given for what is shown.
      const box = h('input', { type: 'checkbox', name: attribute.name });
      boxes.set(attribute.name, box);
      attributes.append(h('label', {}, box, h('span', {}, h('strong', {}, `${attribute.label}: `), attribute.value_text)));
    }
  };
  showReceiver();
  showAttributes();
  const error = h('div', { className: 'alert', role: 'alert' });
  const send = h('button', { type: 'submit', className: 'primary' }, t.sendStory);
  const cancel = h('button', { type: 'button', className: 'secondary' }, t.cancel);
  cancel.addEventListener('click', close);
  form.append(attributes, h('p', {}, t.nothingSent), error, h('div', { className: 'actions' }, send, cancel));
  section.append(form);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.replaceChildren();
    const chosen = offer.attributes.filter((a) => target.accepts.includes(a.name) && boxes.get(a.name)?.checked);
    if (chosen.length === 0) {
      error.textContent = t.chooseOne;
      return;
    }
    send.disabled = true;
    try {
      const sent = await sendStory(server, ensurePersonKey(), {
        channel_id: target.channel_id,
        attributes: Object.fromEntries(chosen.map((a) => [a.name, a.value])),
        purpose: offer.purpose.slice(0, 500),
        language: ui,
        service_id: offer.service.id,
      });
      section.replaceChildren(...doneView(sent, service, ui, server, close));
      section.querySelector('h3')?.focus();
    } catch (e) {
      const failure = e instanceof CallError ? e : new CallError(0);
      error.textContent = failure.status === 0 ? t.offline : failure.status === 429 ? t.tooMany : fill(t.rejected, { detail: failure.detail });
      send.disabled = false;
    }
  });
  return section;
}

function doneView(sent: Sent, service: string, ui: Language, server: string, close: () => void): Node[] {
  const t = TEXTS[ui];
  const back = h('button', { type: 'button', className: 'secondary' }, t.backToChat);
  back.addEventListener('click', close);
  // The person key lives in this site's storage: the network's own "my data" lists it only when this is the network's own page.
  const mine = new URL(server).origin === location.origin ? h('p', {}, t.consentList, ' ', h('a', { href: `${server}/my`, target: '_blank', rel: 'noopener' }, t.myData, hidden(` ${t.newWindow}`))) : h('p', {}, t.consentElsewhere);
  // Withdrawing here works on any site: the widget holds the key the consent was given with.
  const withdraw = h('button', { type: 'button', className: 'secondary' }, t.withdraw);
  const withdrawn = h('p', { role: 'status' });
  withdraw.addEventListener('click', async () => {
    withdraw.disabled = true;
    try {
      await withdrawConsent(server, ensurePersonKey(), sent.consent_id);
      // What was shown for the consent (the link, the code) goes with it; focus to the new heading, as after sending.
      const section = withdraw.closest('section');
      const heading = h('h3', { tabindex: '-1' }, t.withdrawnTitle);
      section?.replaceChildren(heading, h('p', { role: 'status' }, fill(t.withdrawn, { service })), h('div', { className: 'actions' }, back));
      heading.focus();
    } catch (e) {
      const failure = e instanceof CallError ? e : new CallError(0);
      withdrawn.textContent = failure.status === 409 ? t.withdrawTooLate : failure.status === 0 ? t.offline : fill(t.rejected, { detail: failure.detail });
      withdraw.disabled = failure.status === 409;
    }
  });
  const link = webAddress(sent.link, server);
  if (sent.mode === 'link' && link) {
    return [
      h('h3', { tabindex: '-1' }, t.sentLinkTitle),
      h('p', {}, fill(t.sentLink, { service })),
      h('p', {}, h('a', { href: link, target: '_blank', rel: 'noopener', className: 'primary' }, fill(t.openService, { service }), hidden(` ${t.newWindow}`))),
      mine,
      withdrawn,
      h('div', { className: 'actions' }, withdraw, back),
    ];
  }
  const code = sent.code_display ?? '';
  return [
    h('h3', { tabindex: '-1' }, t.sentCodeTitle),
    h('p', {}, fill(t.sentCode, { service })),
    h('p', { className: 'code' }, code),
    // An <img> of the server's SVG: shown, never run as part of the page.
    sent.qr_svg ? h('img', { src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(sent.qr_svg)}`, alt: fill(t.qr, { code }) }) : null,
    mine,
    withdrawn,
    h('div', { className: 'actions' }, withdraw, back),
  ].filter((x) => x !== null);
}

function receiverText(receiver: Receiver, ui: Language): string {
  const t = TEXTS[ui];
  if (receiver.kind === 'demo') return t.receiverDemo;
  if (receiver.kind === 'operator') return receiver.organisation ? `${receiver.organisation}, ${t.receiverOperator.toLowerCase()}` : t.receiverOperator;
  if (receiver.organisation) return receiver.business_id ? fill(t.receiverMember, { organisation: receiver.organisation, businessId: receiver.business_id }) : receiver.organisation;
  return t.receiverUnknown;
}

function channelName(target: TransferTarget, ui: Language): string {
  const name = target.channel_name;
  if (!name) return target.channel_type;
  if (typeof name === 'string') return name;
  return name[ui] ?? name.fi ?? name.sv ?? name.en ?? target.channel_type;
}
