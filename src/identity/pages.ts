import { createHash } from 'node:crypto';
import type { Language } from '../catalogue/model.ts';
import { codeLists } from '../catalogue/codelists.ts';
import { LANGS, escapeHtml, pickLanguage } from '../demo/pages.ts';
import { storedAttributeOf } from '../profile/attribute-scopes.ts';
import { ATTRIBUTE_TEXTS } from '../transfers/attribute-texts.ts';

/**
 * The provider's own pages: choosing an eID, and the consent to share derived claims with the
 * service that asked. Plain server-rendered HTML in Finnish, Swedish or English, with no script and
 * one inline style allowed by its hash, so that their policy allows nothing but that style and
 * submitting their forms.
 */
const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:40rem;margin:0 auto;padding:1rem;line-height:1.5;color:#1a1a1a}' +
  'header{border-bottom:3px solid #00347a;margin-bottom:1rem}header p{margin:.25rem 0 .5rem;font-weight:700;color:#00347a}' +
  'fieldset{border:1px solid #c8cdd0;border-radius:4px;padding:.5rem 1rem}ul{list-style:none;padding-left:0}li{margin:.5rem 0}' +
  'input[type=checkbox]{width:1.2rem;height:1.2rem;vertical-align:middle;margin-right:.5rem}input:disabled+label{color:#5f686d}' +
  'button{font:inherit;padding:.5rem 1rem;background:#00347a;color:#fff;border:1px solid #00347a;border-radius:2px;cursor:pointer}' +
  'form+form button{background:#fff;color:#00347a}a{color:#00347a}' +
  'button:focus,input:focus,a:focus{outline:3px solid #1a99ff;outline-offset:2px}';

export const PAGE_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE, 'utf8').digest('base64')}'; frame-ancestors 'none'; base-uri 'none'`;

/** ui_locales (the first of fi, sv, en it names) before Accept-Language; Finnish otherwise. */
export function pageLanguage(uiLocales: unknown, acceptLanguage: string | undefined): Language {
  const asked = typeof uiLocales === 'string' ? uiLocales.split(' ').map((l) => l.toLowerCase().split('-')[0]).find((l) => (LANGS as readonly string[]).includes(l ?? '')) : undefined;
  return pickLanguage(asked, acceptLanguage);
}

const T = {
  fi: {
    loginTitle: 'Tunnistaudu',
    loginLead: (client: string) => `${client} pyytää sinua tunnistautumaan Aurora-verkon kautta. Valitse tunnistustapa.`,
    eids: 'Tunnistustavat',
    noEids: 'Tunnistautuminen ei ole juuri nyt käytettävissä. Yritä myöhemmin uudelleen.',
    consentTitle: 'Tietojen luovutus',
    consentLead: (client: string) => `${client} pyytää seuraavia tietoja sinusta. Valitse, mitkä niistä annat. Henkilötunnustasi ja nimeäsi ei luovuteta.`,
    nothingAsked: (client: string) => `${client} ei pyydä sinusta muita tietoja kuin tunnisteen, joka on eri jokaiselle palvelulle.`,
    asked: 'Pyydetyt tiedot',
    notAvailable: 'ei saatavilla',
    reidentify: 'Osa pyydetyistä tiedoista saadaan vain vahvasta tunnistautumisesta, eikä niitä ole tällä kirjautumisella. Tunnistaudu uudelleen, niin voit antaa ne:',
    allow: 'Jatka ja anna valitut tiedot',
    cancel: 'Peruuta',
    claims: { age_band: 'Ikäryhmä', adult: 'Täysi-ikäisyys (18 vuotta täyttänyt)', municipality_code: 'Kotikunta' },
    yes: 'kyllä',
    no: 'ei',
    storeLegend: 'Saa tallentaa profiiliisi',
    storeLead: (client: string) => `${client} pyytää lupaa tallentaa seuraavat tiedot Aurora-profiiliisi. Näet ja voit poistaa ne Omat tiedot -sivulla.`,
    meters: (n: number) => `${n} arviota`,
    logoutTitle: 'Kirjaudu ulos',
    logoutLead: 'Haluatko kirjautua ulos Aurora-verkosta?',
    logoutYes: 'Kirjaudu ulos',
    logoutNo: 'Pysy kirjautuneena',
    loggedOutTitle: 'Olet kirjautunut ulos',
    loggedOutLead: 'Olet kirjautunut ulos Aurora-verkosta.',
  },
  sv: {
    loginTitle: 'Identifiera dig',
    loginLead: (client: string) => `${client} ber dig identifiera dig via nätverket Aurora. Välj identifieringssätt.`,
    eids: 'Identifieringssätt',
    noEids: 'Identifieringen är inte tillgänglig just nu. Försök igen senare.',
    consentTitle: 'Utlämnande av uppgifter',
    consentLead: (client: string) => `${client} ber om följande uppgifter om dig. Välj vilka du lämnar ut. Din personbeteckning och ditt namn lämnas inte ut.`,
    nothingAsked: (client: string) => `${client} ber inte om andra uppgifter om dig än en identifierare som är olika för varje tjänst.`,
    asked: 'Begärda uppgifter',
    notAvailable: 'inte tillgänglig',
    reidentify: 'En del av de begärda uppgifterna fås bara från en stark identifiering och finns inte i den här inloggningen. Identifiera dig på nytt, så kan du lämna ut dem:',
    allow: 'Fortsätt och lämna ut de valda uppgifterna',
    cancel: 'Avbryt',
    claims: { age_band: 'Åldersgrupp', adult: 'Myndighet (fyllt 18 år)', municipality_code: 'Hemkommun' },
    yes: 'ja',
    no: 'nej',
    storeLegend: 'Får sparas i din profil',
    storeLead: (client: string) => `${client} ber om lov att spara följande uppgifter i din Aurora-profil. Du ser dem och kan ta bort dem på sidan Mina uppgifter.`,
    meters: (n: number) => `${n} bedömningar`,
    logoutTitle: 'Logga ut',
    logoutLead: 'Vill du logga ut från nätverket Aurora?',
    logoutYes: 'Logga ut',
    logoutNo: 'Förbli inloggad',
    loggedOutTitle: 'Du har loggat ut',
    loggedOutLead: 'Du har loggat ut från nätverket Aurora.',
  },
  en: {
    loginTitle: 'Log in',
    loginLead: (client: string) => `${client} asks you to log in through the Aurora network. Choose how to identify yourself.`,
    eids: 'Ways to identify',
    noEids: 'Identification is not available just now. Please try again later.',
    consentTitle: 'Sharing your information',
    consentLead: (client: string) => `${client} asks for the following information about you. Choose what you share. Your personal identity code and your name are never shared.`,
    nothingAsked: (client: string) => `${client} asks for nothing about you but an identifier that differs for every service.`,
    asked: 'Information asked for',
    notAvailable: 'not available',
    reidentify: 'Some of the information asked for comes only from strong identification, and this login does not have it. Identify yourself again to be able to share it:',
    allow: 'Continue and share what is selected',
    cancel: 'Cancel',
    claims: { age_band: 'Age group', adult: 'Of age (18 or over)', municipality_code: 'Home municipality' },
    yes: 'yes',
    no: 'no',
    storeLegend: 'May keep in your profile',
    storeLead: (client: string) => `${client} asks to keep the following in your Aurora profile. You see them, and can remove them, on the My data page.`,
    meters: (n: number) => `${n} ratings`,
    logoutTitle: 'Log out',
    logoutLead: 'Do you want to log out of the Aurora network?',
    logoutYes: 'Log out',
    logoutNo: 'Stay logged in',
    loggedOutTitle: 'You have logged out',
    loggedOutLead: 'You have logged out of the Aurora network.',
  },
} satisfies Record<Language, unknown>;

function page(lang: Language, title: string, body: string) {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)} – Aurora</title><style>${STYLE}</style></head><body><header><p>Aurora</p></header><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

export interface EidChoice {
  href: string;
  label: string;
}

export function loginPage(lang: Language, clientName: string, eids: EidChoice[]) {
  const t = T[lang];
  const items = eids.map((e) => `<li><a href="${escapeHtml(e.href)}">${escapeHtml(e.label)}</a></li>`).join('');
  const choices = eids.length ? `<h2>${escapeHtml(t.eids)}</h2><ul>${items}</ul>` : `<p role="alert">${escapeHtml(t.noEids)}</p>`;
  return page(lang, t.loginTitle, `<p>${escapeHtml(t.loginLead(clientName))}</p>${choices}`);
}

function spoken(lang: Language, claim: string, value: unknown): string {
  if (value === undefined) return T[lang].notAvailable;
  if (claim === 'life_situation_meters' && value && typeof value === 'object') return T[lang].meters(Object.keys(value).length);
  if (typeof value === 'boolean') return value ? T[lang].yes : T[lang].no;
  if (claim === 'municipality_code' && typeof value === 'string') {
    const m = codeLists().municipalities.find((x) => x.code === value);
    const name = m?.name[lang] ?? m?.name.fi;
    return name ? `${name} (${value})` : value;
  }
  return String(value);
}

export function claimLabel(lang: Language, claim: string): string {
  return (T[lang].claims as Record<string, string>)[claim] ?? ATTRIBUTE_TEXTS[claim]?.title[lang] ?? claim;
}

/**
 * The consent form: one checkbox per claim scope asked for, with the value the service would get
 * (disabled when there is none), then one per `store:` scope (the service may keep that attribute in
 * the person's profile); none ticked in advance; posted to `action`. `reidentify`: the eIDs to log in
 * with again when a claim only an eID gives is asked for and this login has none (the person logged in
 * through the network's own app, where nothing was asked).
 */
export function consentPage(lang: Language, clientName: string, scopes: string[], claims: Record<string, unknown>, action: string, abort: string, reidentify: EidChoice[] = []) {
  const t = T[lang];
  const reads = scopes.filter((s) => !storedAttributeOf(s));
  const stores = scopes.filter((s) => storedAttributeOf(s));
  const box = (scope: string, i: number, label: string, available: boolean) =>
    `<li><input type="checkbox" id="scope-${i}" name="scope" value="${escapeHtml(scope)}"${available ? '' : ' disabled'}> <label for="scope-${i}">${escapeHtml(label)}</label></li>`;
  const readBoxes = reads.map((scope, i) => box(scope, i, `${claimLabel(lang, scope)}: ${spoken(lang, scope, claims[scope])}`, claims[scope] !== undefined)).join('');
  const storeBoxes = stores.map((scope, i) => box(scope, reads.length + i, claimLabel(lang, storedAttributeOf(scope)!), true)).join('');
  const asked = [
    reads.length ? `<p>${escapeHtml(t.consentLead(clientName))}</p><fieldset><legend>${escapeHtml(t.asked)}</legend><ul>${readBoxes}</ul></fieldset>` : '',
    stores.length ? `<p>${escapeHtml(t.storeLead(clientName))}</p><fieldset><legend>${escapeHtml(t.storeLegend)}</legend><ul>${storeBoxes}</ul></fieldset>` : '',
    reidentify.length ? `<p>${escapeHtml(t.reidentify)}</p><ul>${reidentify.map((e) => `<li><a href="${escapeHtml(e.href)}">${escapeHtml(e.label)}</a></li>`).join('')}</ul>` : '',
  ].join('');
  return page(
    lang,
    t.consentTitle,
    `<form method="post" action="${escapeHtml(action)}">${asked || `<p>${escapeHtml(t.nothingAsked(clientName))}</p>`}<p><button type="submit">${escapeHtml(t.allow)}</button></p></form><form method="post" action="${escapeHtml(abort)}"><p><button type="submit">${escapeHtml(t.cancel)}</button></p></form>`,
  );
}

/** The provider's logout question: `form` is oidc-provider's own (its id op.logoutForm, with the xsrf token). */
export function logoutPage(lang: Language, form: string) {
  const t = T[lang];
  return page(
    lang,
    t.logoutTitle,
    `<p>${escapeHtml(t.logoutLead)}</p>${form}<p><button type="submit" form="op.logoutForm" value="yes" name="logout">${escapeHtml(t.logoutYes)}</button> <button type="submit" form="op.logoutForm">${escapeHtml(t.logoutNo)}</button></p>`,
  );
}

export function loggedOutPage(lang: Language) {
  const t = T[lang];
  return page(lang, t.loggedOutTitle, `<p>${escapeHtml(t.loggedOutLead)}</p>`);
}
