import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../shared/i18n.ts';
import { useApi } from '../../shared/load.ts';
import { METERS, METER_TEXTS, type Meters } from '../meters.ts';
import { mirrorPath, type Mirror } from '../picture.ts';
import { loadPrefs, savePrefs } from '../storage.ts';
import { loc } from '../text.ts';
import { AgeBandSelect } from './AgeBandSelect.tsx';
import { MunicipalitySelect } from './MunicipalitySelect.tsx';

/**
 * The two-way mirror: the person's own answers beside their municipality's published figures, for
 * all ages and for their age band, in plain sentences. Only published, noised figures are fetched,
 * for the municipality and band chosen here; the person's answers stay in the browser.
 */
export function AreaMirror({ meters }: { meters: Meters }) {
  const { t, i18n } = useTranslation('citizen');
  const language = currentLanguage(i18n);
  const prefs = loadPrefs();
  const [municipality, setMunicipality] = useState(prefs.municipality ?? '');
  const [ageBand, setAgeBand] = useState(prefs.ageBand ?? '');
  const { data, error, loading } = useApi<Mirror>(municipality && ageBand ? mirrorPath(municipality, ageBand) : null);
  const names = METER_TEXTS[language];
  const number = (n: number) => n.toLocaleString(language === 'en' ? 'en-GB' : language, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const place = data ? loc(data.municipality.name, language) : '';

  return (
    <section className="panel mirror" aria-labelledby="mirror-title">
      <h2 id="mirror-title">{t('picture.mirrorTitle')}</h2>
      <p>{t('picture.mirrorIntro')}</p>
      <div className="mirror__choices">
        <MunicipalitySelect
          id="mirror-municipality"
          label={t('picture.municipality')}
          value={municipality}
          onChange={(code) => {
            setMunicipality(code);
            savePrefs({ municipality: code });
          }}
        />
        <AgeBandSelect
          id="mirror-age-band"
          value={ageBand}
          onChange={(band) => {
            setAgeBand(band);
            savePrefs({ ageBand: band });
          }}
        />
      </div>
      {(!municipality || !ageBand) && <p>{t('picture.mirrorChoose')}</p>}
      {loading && <p role="status">{t('picture.loading')}</p>}
      {error && <p role="alert">{t('app.error', { detail: error.detail ?? error.title })}</p>}
      {data && data.period === null && <p role="status">{t('picture.noneReleased')}</p>}
      {data && data.period !== null && (
        <>
          <p role="status">{t('picture.mirrorFrom', { period: periodText(data.period, t) })}</p>
          <ul className="mirror__list">
            {METERS.map((m) => {
              const own = meters[m];
              const sameAge = data.same_age.find((f) => f.meter === m)?.mean ?? null;
              const all = data.all_ages.find((f) => f.meter === m)?.mean ?? null;
              return (
                <li key={m}>
                  <strong>{names[m].name}</strong>:{' '}
                  {own === undefined ? t('picture.youSkipped') : t('picture.yours', { value: own })}
                  {'; '}
                  {sameAge === null && all === null ? (
                    t('picture.bothTooFew', { place })
                  ) : (
                    <>
                      {sameAge === null ? t('picture.sameAgeTooFew', { place, band: data.age_band }) : t('picture.sameAge', { place, band: data.age_band, value: number(sameAge) })}
                      {'; '}
                      {all === null ? t('picture.allTooFew', { place }) : t('picture.all', { place, value: number(all) })}
                    </>
                  )}
                </li>
              );
            })}
          </ul>
          <p className="hint">{t('picture.mirrorNote')}</p>
        </>
      )}
    </section>
  );
}

function periodText(period: string, t: (key: 'picture.quarter', options: { q: string; year: string }) => string): string {
  const m = /^(\d{4})-Q([1-4])$/.exec(period);
  return m ? t('picture.quarter', { q: m[2]!, year: m[1]! }) : period;
}
