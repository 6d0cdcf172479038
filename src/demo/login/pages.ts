import type { Language } from '../../catalogue/model.ts';
import { ATTRIBUTE_TEXTS } from '../../transfers/attribute-texts.ts';
import { EVENT_TYPES, isEventType } from '../../events/event-types.ts';
import { LANGS, attributeList, escapeHtml, municipalityText, page } from '../pages.ts';
import type { HeardEvent } from './demo-events.ts';

/**
 * The demo service's own pages for "log in with Aurora", in fi, sv and en, without scripts: the start,
 * what the service was let see (its pairwise identifier and the attributes the person gave) and the
 * life events it heard of the person, and why a login gave nothing.
 */
const T = {
  fi: {
    title: 'Demo: Nettilukion oma asiointi',
    banner:
      'Tämä on Aurora-verkon esittelypalvelu, ei oikea palvelu. Se näyttää, mitä palvelu saa tietää, kun kirjaudut Aurora-tunnuksella ja kun annat sen kuulla elämäntapahtumistasi. Se säilyttää saamansa tiedot, kunnes poistat ne Aurora-sovelluksessa.',
    lead: 'Kirjaudu sisään Aurora-tunnuksella. Aurora kysyy sinulta, mitä tietoja tämä palvelu saa: ikäsi profiilistasi ja kotikuntasi. Voit antaa molemmat, toisen tai ei kumpaakaan.',
    login: 'Kirjaudu sisään Aurora-tunnuksella',
    welcome: 'Olet kirjautunut sisään',
    subject: 'Tunnisteesi tässä palvelussa',
    subjectHint: 'Aurora antaa jokaiselle palvelulle eri tunnisteen, joten palvelut eivät voi yhdistää tietojasi keskenään. Palvelu ei saa nimeäsi eikä henkilötunnustasi.',
    shared: 'Tiedot, jotka annoit palvelulle',
    nothingShared: 'Et antanut palvelulle muita tietoja kuin tunnisteen.',
    notShared: 'Palvelu pyysi myös näitä, mutta et antanut niitä',
    kept: 'Palvelu säilyttää nämä tiedot. Voit pyytää ne itsellesi tai poistaa ne Aurora-sovelluksessa: Omat tiedot → Tietosi verkon palveluissa.',
    toMyData: 'Omat tiedot Aurora-sovelluksessa',
    heard: 'Mitä olemme kuulleet sinusta',
    heardIntro: 'Aurora kertoo tälle palvelulle elämäntapahtumistasi vain ne, joista olet antanut luvan: Aurora-sovelluksessa Omat tiedot → Kenelle tapahtumista saa kertoa. Palvelu ei saa nimeäsi eikä henkilötunnustasi, vain tiedon tapahtumasta.',
    heardNone: 'Emme ole kuulleet sinusta mitään. Kun annat luvan ja elämässäsi tapahtuu jotain, se näkyy tässä.',
    happened: 'Tapahtui',
    received: 'Saimme tiedon',
    verified: 'Aurora allekirjoitti viestin, ja palvelu tarkisti allekirjoituksen ennen kuin tallensi sen.',
    municipality: 'Uusi kotikunta',
    change: 'Muutos',
    up: 'Tulot nousivat',
    down: 'Tulot laskivat',
    again: 'Kirjaudu uudelleen',
    failedTitle: 'Kirjautuminen ei onnistunut',
    cancelled: 'Keskeytit kirjautumisen, joten palvelu ei saanut sinusta mitään.',
    expired: 'Kirjautuminen vanhentui tai se aloitettiin toisessa selaimessa. Aloita alusta.',
    failed: 'Kirjautumista ei voitu vahvistaa. Aloita alusta.',
    unavailable: 'Kirjautuminen ei ole juuri nyt käytettävissä. Yritä myöhemmin uudelleen.',
    language: 'Kieli',
  },
  sv: {
    title: 'Demo: Nätgymnasiets e-tjänst',
    banner:
      'Det här är en demotjänst i Aurora-nätverket, inte en riktig tjänst. Den visar vad en tjänst får veta när du loggar in med Aurora och när du låter den höra om dina livshändelser. Den sparar det den fick tills du raderar det i Aurora-appen.',
    lead: 'Logga in med Aurora. Aurora frågar dig vilka uppgifter tjänsten får: din ålder från din profil och din hemkommun. Du kan ge båda, den ena eller ingen.',
    login: 'Logga in med Aurora',
    welcome: 'Du är inloggad',
    subject: 'Din identifierare i den här tjänsten',
    subjectHint: 'Aurora ger varje tjänst en annan identifierare, så tjänsterna kan inte sammanföra dina uppgifter. Tjänsten får inte ditt namn eller din personbeteckning.',
    shared: 'Uppgifter som du gav tjänsten',
    nothingShared: 'Du gav inte tjänsten några andra uppgifter än identifieraren.',
    notShared: 'Tjänsten bad också om de här, men du gav dem inte',
    kept: 'Tjänsten sparar de här uppgifterna. Du kan be att få dem eller radera dem i Aurora-appen: Mina uppgifter → Dina uppgifter i nätverkets tjänster.',
    toMyData: 'Mina uppgifter i Aurora-appen',
    heard: 'Vad vi har hört om dig',
    heardIntro: 'Aurora berättar för den här tjänsten bara om de livshändelser som du har gett lov till: i Aurora-appen Mina uppgifter → Vem som får veta om händelserna. Tjänsten får inte ditt namn eller din personbeteckning, bara uppgiften om händelsen.',
    heardNone: 'Vi har inte hört något om dig. När du ger lov och något händer i ditt liv syns det här.',
    happened: 'Hände',
    received: 'Vi fick veta',
    verified: 'Aurora undertecknade meddelandet, och tjänsten kontrollerade underskriften innan den sparade det.',
    municipality: 'Ny hemkommun',
    change: 'Förändring',
    up: 'Inkomsterna steg',
    down: 'Inkomsterna sjönk',
    again: 'Logga in igen',
    failedTitle: 'Inloggningen lyckades inte',
    cancelled: 'Du avbröt inloggningen, så tjänsten fick ingenting om dig.',
    expired: 'Inloggningen gick ut eller påbörjades i en annan webbläsare. Börja om.',
    failed: 'Inloggningen kunde inte bekräftas. Börja om.',
    unavailable: 'Inloggningen är inte tillgänglig just nu. Försök igen senare.',
    language: 'Språk',
  },
  en: {
    title: 'Demo: Online school e-service',
    banner:
      'This is a demo service of the Aurora network, not a real service. It shows what a service learns when you log in with Aurora and when you let it hear of your life events. It keeps what it was given until you erase it in the Aurora app.',
    lead: 'Log in with Aurora. Aurora asks you what this service may get: your age from your profile and your home municipality. You can give both, one or neither.',
    login: 'Log in with Aurora',
    welcome: 'You are logged in',
    subject: 'Your identifier at this service',
    subjectHint: 'Aurora gives every service a different identifier, so services cannot link what they know of you. The service gets neither your name nor your personal identity code.',
    shared: 'What you gave the service',
    nothingShared: 'You gave the service nothing but the identifier.',
    notShared: 'The service also asked for these, but you did not give them',
    kept: 'The service keeps this information. You can ask for it or erase it in the Aurora app: My data → Your data in the network’s services.',
    toMyData: 'My data in the Aurora app',
    heard: 'What we heard of you',
    heardIntro: 'Aurora tells this service only of the life events you allowed: in the Aurora app, My data → Who may be told of your life events. The service gets neither your name nor your identity code, only that the event happened.',
    heardNone: 'We have heard nothing of you. When you allow it and something happens in your life, it shows here.',
    happened: 'Happened',
    received: 'We heard',
    verified: 'Aurora signed the message, and the service checked the signature before keeping it.',
    municipality: 'New home municipality',
    change: 'Change',
    up: 'Income rose',
    down: 'Income fell',
    again: 'Log in again',
    failedTitle: 'The login did not succeed',
    cancelled: 'You cancelled the login, so the service got nothing about you.',
    expired: 'The login expired or was started in another browser. Start again.',
    failed: 'The login could not be confirmed. Start again.',
    unavailable: 'Logging in is not available just now. Try again later.',
    language: 'Language',
  },
} satisfies Record<Language, Record<string, string>>;

const LANGUAGE_NAMES: Record<Language, string> = { fi: 'Suomeksi', sv: 'På svenska', en: 'In English' };

function languages(lang: Language) {
  const links = LANGS.filter((l) => l !== lang)
    .map((l) => `<a href="/demo/service?lang=${l}" lang="${l}" hreflang="${l}">${LANGUAGE_NAMES[l]}</a>`)
    .join(' · ');
  return `<nav aria-label="${escapeHtml(T[lang].language)}"><p>${links}</p></nav>`;
}

const loginForm = (lang: Language, label: string) =>
  `<form method="get" action="/demo/service/login"><input type="hidden" name="lang" value="${lang}"><p><button type="submit">${escapeHtml(label)}</button></p></form>`;

export function demoServicePage(lang: Language) {
  const t = T[lang];
  return page(lang, t.title, `${languages(lang)}<p>${escapeHtml(t.lead)}</p>${loginForm(lang, t.login)}`, t.banner);
}

const LOCALES: Record<Language, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };
const dateOf = (lang: Language, at: Date) => new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'long', timeZone: 'Europe/Helsinki' }).format(at);
const timeOf = (lang: Language, at: Date) => new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Helsinki' }).format(at);

function heardItem(lang: Language, event: HeardEvent) {
  const t = T[lang];
  const name = isEventType(event.type) ? EVENT_TYPES[event.type].name[lang] : event.type;
  const details: string[] = [];
  if (typeof event.data.municipality === 'string') details.push(`<dt>${escapeHtml(t.municipality)}</dt><dd>${escapeHtml(municipalityText(event.data.municipality, lang))}</dd>`);
  if (event.data.direction === 'up' || event.data.direction === 'down') details.push(`<dt>${escapeHtml(t.change)}</dt><dd>${escapeHtml(t[event.data.direction])}</dd>`);
  return `<li class="heard-event"><h4>${escapeHtml(name)}</h4><dl><dt>${escapeHtml(t.happened)}</dt><dd>${escapeHtml(dateOf(lang, event.occurred_at))}</dd>${details.join('')}<dt>${escapeHtml(t.received)}</dt><dd>${escapeHtml(timeOf(lang, event.received_at))}</dd></dl></li>`;
}

function heardSection(lang: Language, heard: HeardEvent[]) {
  const t = T[lang];
  const body = heard.length
    ? `<ul data-heard>${heard.map((event) => heardItem(lang, event)).join('')}</ul><p>${escapeHtml(t.verified)}</p>`
    : `<p data-heard>${escapeHtml(t.heardNone)}</p>`;
  return `<h3>${escapeHtml(t.heard)}</h3><p>${escapeHtml(t.heardIntro)}</p>${body}`;
}

export function demoLoggedInPage(lang: Language, seen: { subject: string; claims: Record<string, unknown>; notShared: string[]; heard: HeardEvent[] }) {
  const t = T[lang];
  const shared = Object.keys(seen.claims).length ? attributeList(seen.claims, lang) : `<p>${escapeHtml(t.nothingShared)}</p>`;
  const notShared = seen.notShared.length
    ? `<h3>${escapeHtml(t.notShared)}</h3><ul class="not-shared">${seen.notShared.map((name) => `<li>${escapeHtml(ATTRIBUTE_TEXTS[name]?.title[lang] ?? name)}</li>`).join('')}</ul>`
    : '';
  return page(
    lang,
    t.title,
    `<section aria-labelledby="welcome"><h2 id="welcome">${escapeHtml(t.welcome)}</h2>
<h3>${escapeHtml(t.subject)}</h3><p><code data-subject>${escapeHtml(seen.subject)}</code></p><p>${escapeHtml(t.subjectHint)}</p>
<h3>${escapeHtml(t.shared)}</h3><div data-shared>${shared}</div>${notShared}
${heardSection(lang, seen.heard)}
<p>${escapeHtml(t.kept)}</p><p><a href="/my">${escapeHtml(t.toMyData)}</a></p></section>`,
    t.banner,
  );
}

export type DemoLoginRefusal = 'cancelled' | 'expired' | 'failed' | 'unavailable';

export function demoLoginFailedPage(lang: Language, reason: DemoLoginRefusal) {
  const t = T[lang];
  return page(
    lang,
    t.title,
    `<div class="refusal" role="alert"><h2>${escapeHtml(t.failedTitle)}</h2><p>${escapeHtml(t[reason])}</p></div>${reason === 'unavailable' ? '' : loginForm(lang, t.again)}`,
    t.banner,
  );
}
