import type { Language } from '../../catalogue/model.ts';
import { ATTRIBUTE_TEXTS } from '../../transfers/attribute-texts.ts';
import { LANGS, attributeList, escapeHtml, page } from '../pages.ts';

/**
 * The demo service's own pages for "log in with Aurora", in fi, sv and en, without scripts: the start,
 * what the service was let see (its pairwise identifier and the attributes the person gave), and why
 * a login gave nothing.
 */
const T = {
  fi: {
    title: 'Demo: Nettilukion oma asiointi',
    banner:
      'Tämä on Aurora-verkon esittelypalvelu, ei oikea palvelu. Se näyttää, mitä palvelu saa tietää, kun kirjaudut Aurora-tunnuksella. Se säilyttää saamansa tiedot, kunnes poistat ne Aurora-sovelluksessa.',
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
      'Det här är en demotjänst i Aurora-nätverket, inte en riktig tjänst. Den visar vad en tjänst får veta när du loggar in med Aurora. Den sparar det den fick tills du raderar det i Aurora-appen.',
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
      'This is a demo service of the Aurora network, not a real service. It shows what a service learns when you log in with Aurora. It keeps what it was given until you erase it in the Aurora app.',
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

export function demoLoggedInPage(lang: Language, seen: { subject: string; claims: Record<string, unknown>; notShared: string[] }) {
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
