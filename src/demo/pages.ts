import { createHash } from 'node:crypto';
import type { Language } from '../catalogue/model.ts';
import { codeLists } from '../catalogue/codelists.ts';
import { METER_TEXTS, type Meter } from '../recommender/meters.ts';
import { ATTRIBUTE_TEXTS } from '../transfers/attribute-texts.ts';

/**
 * The demo receiving service's pages: plain server-rendered HTML without scripts, in fi, sv and en,
 * saying what the demo received in the words the person agreed to. Every value is escaped: the
 * attributes and the purpose come from the person, and a page must never run what they typed.
 */

export const LANGS: readonly Language[] = ['fi', 'sv', 'en'];

const T = {
  fi: {
    banner: 'Tämä on Aurora-verkon esittelypalvelu, ei oikea palvelu. Se näyttää, mitä vastaanottava palvelu saa, kun henkilö siirtää tietonsa. Esittely ei tallenna mitään.',
    receiverTitle: 'Demo: Nettilukion hakulomake',
    deskTitle: 'Demo: koodin lukeminen asiointipisteessä',
    receivedByLink: 'Esittelypalvelu sai nämä tiedot',
    receivedByCode: 'Asiakas siirsi nämä tiedot',
    purpose: 'Käyttötarkoitus, johon suostumus annettiin',
    afterwards: 'Oikea palvelu täyttäisi näillä tiedoilla lomakkeen valmiiksi. Tiedot luovutettiin kerran: linkki tai koodi ei toimi enää, eikä verkko säilytä tietoja.',
    back: 'Takaisin Aurora-sovellukseen',
    deskLead: 'Asiakas näyttää tai lukee sinulle siirtokoodin (muotoa XXXX-XXXX-XX). Kirjoita se tähän, niin näet tiedot, jotka asiakas on antanut luvan siirtää.',
    codeLabel: 'Siirtokoodi',
    codeHint: 'Isoilla ja pienillä kirjaimilla, väliviivoilla ja välilyönneillä ei ole väliä.',
    submit: 'Hae tiedot',
    another: 'Lue toinen koodi',
    failed: 'Tietoja ei voitu näyttää',
    years: (n: number) => `${n} vuotta`,
    yes: 'Kyllä',
    no: 'Ei',
    noToken: 'Linkissä ei ole siirtoa. Aloita Aurora-sovelluksesta: valitse palvelu ja ”Siirry palveluun tietojesi kanssa”.',
    emptyCode: 'Kirjoita asiakkaan siirtokoodi.',
  },
  sv: {
    banner: 'Det här är en demotjänst i Aurora-nätverket, inte en riktig tjänst. Den visar vad en mottagande tjänst får när någon för över sina uppgifter. Demon sparar ingenting.',
    receiverTitle: 'Demo: Ansökan till nätgymnasiet',
    deskTitle: 'Demo: läsa in en kod vid kundtjänsten',
    receivedByLink: 'Demotjänsten fick de här uppgifterna',
    receivedByCode: 'Kunden förde över de här uppgifterna',
    purpose: 'Ändamål som samtycket gavs för',
    afterwards: 'En riktig tjänst skulle fylla i sin blankett med de här uppgifterna. Uppgifterna lämnades ut en gång: länken eller koden fungerar inte längre, och nätverket sparar inte uppgifterna.',
    back: 'Tillbaka till Aurora-appen',
    deskLead: 'Kunden visar eller läser upp en överföringskod (i formen XXXX-XXXX-XX). Skriv in den här så ser du uppgifterna som kunden har gett lov att föra över.',
    codeLabel: 'Överföringskod',
    codeHint: 'Stora och små bokstäver, bindestreck och mellanslag spelar ingen roll.',
    submit: 'Hämta uppgifterna',
    another: 'Läs in en annan kod',
    failed: 'Uppgifterna kunde inte visas',
    years: (n: number) => `${n} år`,
    yes: 'Ja',
    no: 'Nej',
    noToken: 'Länken innehåller ingen överföring. Börja i Aurora-appen: välj en tjänst och ”Gå till tjänsten med dina uppgifter”.',
    emptyCode: 'Skriv in kundens överföringskod.',
  },
  en: {
    banner: 'This is a demo service of the Aurora network, not a real service. It shows what a receiving service gets when someone takes their information along. The demo keeps nothing.',
    receiverTitle: 'Demo: Online upper secondary school application',
    deskTitle: 'Demo: reading a code at the service desk',
    receivedByLink: 'This is what the demo service received',
    receivedByCode: 'The customer passed on this information',
    purpose: 'The purpose consented to',
    afterwards: 'A real service would fill in its form with these. They were handed over once: the link or code no longer works, and the network does not keep them.',
    back: 'Back to the Aurora app',
    deskLead: 'The customer shows you or reads out a transfer code (like XXXX-XXXX-XX). Type it here to see the information they agreed to pass on.',
    codeLabel: 'Transfer code',
    codeHint: 'Upper or lower case, dashes and spaces do not matter.',
    submit: 'Get the information',
    another: 'Read another code',
    failed: 'The information could not be shown',
    years: (n: number) => `${n} years`,
    yes: 'Yes',
    no: 'No',
    noToken: 'The link carries no transfer. Start from the Aurora app: choose a service and “Go to this service with your information”.',
    emptyCode: "Type the customer's transfer code.",
  },
} satisfies Record<Language, unknown>;

/** Why nothing was shown; `link` and `code` differ only where the person would read it differently. */
export type Refusal =
  | 'unknown'
  | 'used'
  | 'expired'
  | 'withdrawn'
  | 'gone'
  | 'wrong-client'
  | 'locked'
  | 'not-a-code'
  | 'rate-limited'
  | 'address-limited'
  | 'unavailable'
  | 'not-set-up';

const REFUSALS: Record<Language, Record<Refusal, (mode: 'link' | 'code', minutes: number) => string>> = {
  fi: {
    unknown: (m) => (m === 'link' ? 'Tätä linkkiä ei tunneta. Tarkista, että avasit koko linkin.' : 'Tällä koodilla ei löydy siirtoa. Tarkista koodi ja yritä uudelleen.'),
    used: (m) => `Tämä ${m === 'link' ? 'linkki' : 'koodi'} on jo käytetty. Se toimii vain kerran; uuden siirron voi tehdä Aurora-sovelluksessa.`,
    expired: (m) => `Tämä ${m === 'link' ? 'linkki' : 'koodi'} on vanhentunut. Uuden siirron voi tehdä Aurora-sovelluksessa.`,
    withdrawn: () => 'Suostumus on peruttu, joten tietoja ei luovutettu.',
    gone: () => 'Siirrossa ei ole enää tietoja.',
    'wrong-client': () => 'Tämä siirto on tarkoitettu toiselle palvelulle, eikä esittelypalvelu voi lukea sitä.',
    locked: () => 'Tämä koodi on lukittu toistuvien yritysten vuoksi. Asiakas voi tehdä uuden siirron.',
    'not-a-code': () => 'Tämä ei ole siirtokoodi. Koodissa on kymmenen merkkiä, muotoa XXXX-XXXX-XX.',
    'rate-limited': (_m, min) => `Liian monta väärää koodia. Yritä uudelleen ${min} minuutin kuluttua.`,
    'address-limited': (_m, min) => `Tästä osoitteesta on tullut liian monta yritystä. Yritä uudelleen ${min} minuutin kuluttua.`,
    unavailable: () => 'Verkko ei voi lukea tätä siirtoa juuri nyt. Mitään ei luovutettu; yritä myöhemmin uudelleen.',
    'not-set-up': () => 'Esittelypalvelu ei ole käytössä tässä verkossa.',
  },
  sv: {
    unknown: (m) => (m === 'link' ? 'Länken är okänd. Kontrollera att du öppnade hela länken.' : 'Ingen överföring har den här koden. Kontrollera koden och försök igen.'),
    used: (m) => `${m === 'link' ? 'Länken' : 'Koden'} har redan använts. Den fungerar bara en gång; en ny överföring kan göras i Aurora-appen.`,
    expired: (m) => `${m === 'link' ? 'Länken' : 'Koden'} har gått ut. En ny överföring kan göras i Aurora-appen.`,
    withdrawn: () => 'Samtycket har återkallats, så inga uppgifter lämnades ut.',
    gone: () => 'Överföringen innehåller inte längre några uppgifter.',
    'wrong-client': () => 'Överföringen är avsedd för en annan tjänst, och demotjänsten kan inte läsa den.',
    locked: () => 'Koden har låsts efter upprepade försök. Kunden kan göra en ny överföring.',
    'not-a-code': () => 'Det här är ingen överföringskod. En kod har tio tecken, i formen XXXX-XXXX-XX.',
    'rate-limited': (_m, min) => `För många felaktiga koder. Försök igen om ${min} minuter.`,
    'address-limited': (_m, min) => `För många försök från den här adressen. Försök igen om ${min} minuter.`,
    unavailable: () => 'Nätverket kan inte läsa överföringen just nu. Ingenting lämnades ut; försök igen senare.',
    'not-set-up': () => 'Demotjänsten används inte i det här nätverket.',
  },
  en: {
    unknown: (m) => (m === 'link' ? 'This link is not known. Check that you opened the whole link.' : 'No transfer has this code. Check the code and try again.'),
    used: (m) => `This ${m} has already been used. It works only once; a new transfer can be made in the Aurora app.`,
    expired: (m) => `This ${m} has expired. A new transfer can be made in the Aurora app.`,
    withdrawn: () => 'The consent was withdrawn, so nothing was handed over.',
    gone: () => 'The transfer no longer holds any information.',
    'wrong-client': () => 'This transfer is meant for another service; the demo service cannot read it.',
    locked: () => 'This code was locked after repeated attempts. The customer can make a new transfer.',
    'not-a-code': () => 'This is not a transfer code. A code has ten characters, like XXXX-XXXX-XX.',
    'rate-limited': (_m, min) => `Too many wrong codes. Try again in ${min} minutes.`,
    'address-limited': (_m, min) => `Too many tries from this address. Try again in ${min} minutes.`,
    unavailable: () => 'The network cannot read this transfer just now. Nothing was handed over; try again later.',
    'not-set-up': () => 'The demo service is not in use on this network.',
  },
};

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** ?lang= first, then the first of fi, sv, en in Accept-Language by its q-values; Finnish otherwise. */
export function pickLanguage(query: string | undefined, acceptLanguage: string | undefined): Language {
  const asked = query?.trim().toLowerCase();
  if (asked && (LANGS as readonly string[]).includes(asked)) return asked as Language;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .slice(0, 20)
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { lang: tag.trim().toLowerCase().split('-')[0]!, q: q === undefined ? 1 : Number(q), i };
    })
    .filter((l) => (LANGS as readonly string[]).includes(l.lang) && l.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return (ranked[0]?.lang as Language | undefined) ?? 'fi';
}

/** One attribute's value as a person would say it (plain text, not yet escaped); raw JSON for anything unexpected. */
/** A municipality code as people read it: its name in the language (Finnish where it has none) and the code. */
export function municipalityText(code: string, lang: Language): string {
  const municipality = codeLists().municipalities.find((m) => m.code === code);
  const place = municipality?.name[lang] ?? municipality?.name.fi;
  return place ? `${place} (${code})` : code;
}

function spoken(name: string, value: unknown, lang: Language): string | { label: string; value: string }[] {
  const t = T[lang];
  if (name === 'age' && typeof value === 'number') return t.years(value);
  if (name === 'tampere_demo_flag' && typeof value === 'boolean') return value ? t.yes : t.no;
  if (name === 'municipality_code' && typeof value === 'string') return municipalityText(value, lang);
  if (name === 'life_situation_meters' && value && typeof value === 'object' && !Array.isArray(value))
    return Object.entries(value as Record<string, unknown>).map(([meter, ratings]) => {
      const label = METER_TEXTS[meter as Meter]?.name[lang] ?? meter;
      const shown = Array.isArray(ratings) ? `${ratings.map(String).join(', ')} / 10` : JSON.stringify(ratings);
      return { label, value: shown };
    });
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function attributeList(attributes: Record<string, unknown>, lang: Language) {
  const items = Object.entries(attributes).map(([name, value]) => {
    const title = ATTRIBUTE_TEXTS[name]?.title[lang] ?? name;
    const said = spoken(name, value, lang);
    const shown =
      typeof said === 'string'
        ? escapeHtml(said)
        : `<ul>${said.map((m) => `<li>${escapeHtml(m.label)}: ${escapeHtml(m.value)}</li>`).join('')}</ul>`;
    return `<dt>${escapeHtml(title)}</dt><dd>${shown}</dd>`;
  });
  return `<dl>${items.join('')}</dl>`;
}

// No script and no outside resource: the one inline style is allowed by its hash.
const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:40rem;margin:0 auto;padding:1rem;line-height:1.5;color:#1a1a1a}' +
  '.demo{background:#fff4d6;border-left:4px solid #b15a00;padding:.5rem 1rem}a{color:#00347a}' +
  'dt{font-weight:600;margin-top:.75rem}dd{margin-left:0}ul{padding-left:1.25rem}code{word-break:break-all}' +
  '.refusal{border-left:4px solid #c3002f;padding:.5rem 1rem;background:#fbe9ec}' +
  'label{display:block;font-weight:600}input{font:inherit;font-size:1.25rem;padding:.4rem;margin:.25rem 0;letter-spacing:.1em;max-width:100%}' +
  'button{font:inherit;padding:.5rem 1rem;background:#00347a;color:#fff;border:0;border-radius:2px}' +
  'button:focus,input:focus,a:focus{outline:3px solid #1a99ff;outline-offset:2px}';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE, 'utf8').digest('base64')}'`,
  "img-src 'none'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** A demo page: the demo banner (by default the receiving service's: it keeps nothing), the title, the body, the way back. */
export function page(lang: Language, title: string, body: string, banner: string = T[lang].banner) {
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${escapeHtml(title)} – Aurora</title><style>${STYLE}</style></head>
<body><header><p class="demo" role="note">${escapeHtml(banner)}</p></header><main><h1>${escapeHtml(title)}</h1>
${body}
<p><a href="/">${escapeHtml(T[lang].back)}</a></p></main></body></html>`;
}

export interface Received {
  attributes: Record<string, unknown>;
  purpose: string;
}

function receivedSection(lang: Language, heading: string, received: Received) {
  const t = T[lang];
  return `<section aria-labelledby="received"><h2 id="received">${escapeHtml(heading)}</h2>${attributeList(received.attributes, lang)}
<h3>${escapeHtml(t.purpose)}</h3><p>${escapeHtml(received.purpose)}</p><p>${escapeHtml(t.afterwards)}</p></section>`;
}

function refusalParagraph(lang: Language, refusal: Refusal, mode: 'link' | 'code', retryAfterSeconds = 0) {
  const text = REFUSALS[lang][refusal](mode, Math.max(1, Math.ceil(retryAfterSeconds / 60)));
  return `<div class="refusal" role="alert"><h2>${escapeHtml(T[lang].failed)}</h2><p>${escapeHtml(text)}</p></div>`;
}

/** The landing page after a link was redeemed. */
export function receiverPage(lang: Language, received: Received) {
  return page(lang, T[lang].receiverTitle, receivedSection(lang, T[lang].receivedByLink, received));
}

/** The landing page when the link gave nothing: no token, or the redemption's refusal. */
export function receiverRefusedPage(lang: Language, refusal: Refusal | 'no-token', retryAfterSeconds = 0) {
  const body = refusal === 'no-token' ? `<p role="alert">${escapeHtml(T[lang].noToken)}</p>` : refusalParagraph(lang, refusal, 'link', retryAfterSeconds);
  return page(lang, T[lang].receiverTitle, body);
}

export interface DeskState {
  received?: Received;
  refusal?: Refusal | 'empty';
  retryAfterSeconds?: number;
  /** What was typed, shown again after a refusal so that a slip is easy to fix. */
  typed?: string;
}

/** The desk worker's page: the code form, and what the last code gave or why it gave nothing. */
export function deskPage(lang: Language, state: DeskState = {}) {
  const t = T[lang];
  const outcome = state.received
    ? receivedSection(lang, t.receivedByCode, state.received)
    : state.refusal === 'empty'
      ? `<p class="refusal" role="alert">${escapeHtml(t.emptyCode)}</p>`
      : state.refusal
        ? refusalParagraph(lang, state.refusal, 'code', state.retryAfterSeconds)
        : '';
  const value = state.refusal && state.typed ? ` value="${escapeHtml(state.typed)}"` : '';
  const form = `<form method="post" action="/demo/desk">${state.received ? `<h2>${escapeHtml(t.another)}</h2>` : ''}
<input type="hidden" name="lang" value="${lang}">
<label for="code">${escapeHtml(t.codeLabel)}</label>
<p id="code-hint">${escapeHtml(t.codeHint)}</p>
<input id="code" name="code" type="text" required maxlength="64" autocomplete="off" autocapitalize="characters" spellcheck="false" aria-describedby="code-hint"${value}${state.received ? '' : ' autofocus'}>
<p><button type="submit">${escapeHtml(t.submit)}</button></p></form>`;
  const languages = LANGS.filter((l) => l !== lang)
    .map((l) => `<a href="/demo/desk?lang=${l}" lang="${l}" hreflang="${l}">${{ fi: 'Suomeksi', sv: 'På svenska', en: 'In English' }[l]}</a>`)
    .join(' · ');
  const intro = state.received ? '' : `<p>${escapeHtml(t.deskLead)}</p>`;
  return page(lang, t.deskTitle, `<nav aria-label="${escapeHtml({ fi: 'Kieli', sv: 'Språk', en: 'Language' }[lang])}"><p>${languages}</p></nav>${outcome}${intro}${form}`);
}
