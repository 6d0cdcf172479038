/** The front page until the citizen web app is served here: what this is and where the API is. */
const TEXT = {
  fi: { title: 'Aurora-palveluverkosto', lead: 'Tämä palvelin ylläpitää palveluluetteloa ja tarjoaa sen rajapinnan.', docs: 'Rajapinnan kuvaus', services: 'Palvelut (JSON)' },
  sv: { title: 'Aurora-servicenätverket', lead: 'Den här servern upprätthåller en servicekatalog och erbjuder dess gränssnitt.', docs: 'Gränssnittets beskrivning', services: 'Tjänster (JSON)' },
  en: { title: 'Aurora service network', lead: 'This server keeps a service catalogue and offers its API.', docs: 'API documentation', services: 'Services (JSON)' },
};

export function landingPage(acceptLanguage: string | undefined) {
  const lang = (['fi', 'sv', 'en'] as const).find((l) => acceptLanguage?.toLowerCase().startsWith(l)) ?? 'fi';
  const t = TEXT[lang];
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t.title}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}a{color:#00347a}</style></head>
<body><main><h1>${t.title}</h1><p>${t.lead}</p>
<ul><li><a href="/docs">${t.docs}</a></li><li><a href="/api/v1/services?lang=${lang}">${t.services}</a></li></ul></main></body></html>`;
}
