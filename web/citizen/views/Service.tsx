import { Suspense, lazy } from 'react';
import { useTranslation } from 'react-i18next';
import { ExternalLink, LoadingSpinner } from 'suomifi-ui-components';
import { currentLanguage, type Language } from '../../shared/i18n.ts';
import { channelKind } from '../channels.ts';
import { PageTitle } from '../components/PageTitle.tsx';
import { Problem } from '../components/Problem.tsx';
import { DemoMark } from '../receiver.tsx';
import { AppLink, useRouter } from '../../shared/router.tsx';
import { useSearch } from '../search.tsx';
import { loc, paragraphs, textLanguageOf } from '../text.ts';
import type { Address, Channel, HelpLine, Phone, ServiceDetail, ServiceHours, TransferTarget } from '../types.ts';
import { useApi } from '../../shared/load.ts';
import { useMunicipalities } from '../components/MunicipalitySelect.tsx';

// Leaflet is only fetched for a service that has locations on a map.
const LocationsMap = lazy(() => import('../components/LocationsMap.tsx'));

export default function ServicePage({ serviceId }: { serviceId: string }) {
  const { t, i18n } = useTranslation('citizen');
  const language = currentLanguage(i18n);
  const { search } = useRouter();
  const { result } = useSearch();
  const { data, error, loading, reload } = useApi<ServiceDetail>(`/api/v1/services/${serviceId}?lang=${language}`);
  // "Go to this service" only where a channel receives a person's information.
  const targets = useApi<{ targets: TransferTarget[] }>(`/api/v1/services/${serviceId}/transfer-targets`);
  // Where only the demo receiving service receives, the person is told before they go.
  const demoOnly = (targets.data?.targets.length ?? 0) > 0 && targets.data!.targets.every((x) => x.receiver.kind === 'demo');
  const recommendationId = new URLSearchParams(search).get('rec');
  const recommended = result?.recommendation.items.find((i) => i.service_id === serviceId);

  if (loading && !data) return <LoadingSpinner status="loading" text={t('app.loading')} variant="small" textAlign="right" />;
  if (error || !data) return (
    <>
      <PageTitle>{t('app.notFound')}</PageTitle>
      {error && <Problem error={error} retry={reload} />}
    </>
  );
  const s = data;
  const name = loc(s.name, language);
  // Text the catalogue has only in another language is said to be so, and marked for screen readers.
  const textLanguage = textLanguageOf(s, language);
  const section = (title: string, value: string) =>
    value ? (
      <section>
        <h2>{title}</h2>
        {paragraphs(value).map((p, i) => (
          <p key={i} className="preline" lang={textLanguage}>
            {p}
          </p>
        ))}
      </section>
    ) : null;

  const groups = {
    online: s.channels.filter((c) => channelKind(c) === 'online'),
    phone: s.channels.filter((c) => channelKind(c) === 'phone'),
    place: s.channels.filter((c) => channelKind(c) === 'place'),
    form: s.channels.filter((c) => channelKind(c) === 'form'),
    other: s.channels.filter((c) => channelKind(c) === 'unknown'),
  };
  const located = groups.place.flatMap((c) =>
    c.addresses.filter((a) => typeof a.latitude === 'number' && typeof a.longitude === 'number').map((a) => ({ channel: c, address: a })),
  );

  return (
    <article className="service">
      {recommendationId && (
        <p>
          <AppLink to="/find">← {t('service.back')}</AppLink>
        </p>
      )}
      <PageTitle lang={textLanguage}>{name}</PageTitle>
      {textLanguage === 'fi' && language !== 'fi' && <p className="result__only-finnish">{t('find.onlyFinnish')}</p>}
      {s.organizations.length > 0 && (
        <p className="service__orgs">
          {t('service.organisations')}: {[...new Set(s.organizations.map((o) => loc(o.name, language)).filter(Boolean))].join(', ')}
        </p>
      )}
      {loc(s.summary, language) && (
        <p className="lead" lang={textLanguage}>
          {loc(s.summary, language)}
        </p>
      )}
      {recommended && (
        <div className="panel panel--info">
          <h2>{t('find.why')}</h2>
          <p>{recommended.explanation}</p>
        </div>
      )}
      {(targets.data?.targets.length ?? 0) > 0 && (
        <div className="panel panel--go">
          <h2>
            {t('service.go')}
            {demoOnly && <DemoMark />}
          </h2>
          <p>{t('service.goHint')}</p>
          {demoOnly && <p className="hint">{t('receiver.demoGo')}</p>}
          <AppLink to={`/services/${s.id}/transfer`} className="button button--primary">
            {t('service.go')}
          </AppLink>
        </div>
      )}
      {section(t('service.description'), loc(s.description, language))}
      {section(t('service.instructions'), loc(s.user_instruction, language))}
      {section(t('service.requirements'), loc(s.requirements, language))}
      {section(t('service.charges'), loc(s.charge_info, language))}

      <section aria-labelledby="channels">
        <h2 id="channels">{t('service.contact')}</h2>
        {s.channels.length === 0 && <NoChannels service={s} language={language} />}
        {groups.online.length > 0 && (
          <ChannelGroup title={t('service.web')}>
            {groups.online.map((c) => (
              <WebChannel key={c.id} channel={c} language={language} />
            ))}
          </ChannelGroup>
        )}
        {groups.phone.length > 0 && (
          <ChannelGroup title={t('service.phone')}>
            {groups.phone.map((c) => (
              <PhoneChannel key={c.id} channel={c} language={language} />
            ))}
          </ChannelGroup>
        )}
        {groups.place.length > 0 && (
          <ChannelGroup title={t('service.places')}>
            {located.length > 0 && (
              <Suspense fallback={<p>{t('service.mapLoading')}</p>}>
                <LocationsMap
                  points={located.map(({ channel, address }) => ({
                    id: `${channel.id}-${address.latitude}-${address.longitude}`,
                    latitude: address.latitude!,
                    longitude: address.longitude!,
                    label: loc(channel.name, language),
                    address: formatAddress(address, language),
                  }))}
                />
              </Suspense>
            )}
            {located.length === 0 && <p>{t('service.noLocation')}</p>}
            {groups.place.map((c) => (
              <PlaceChannel key={c.id} channel={c} language={language} />
            ))}
          </ChannelGroup>
        )}
        {groups.form.length > 0 && (
          <ChannelGroup title={t('service.forms')}>
            {groups.form.map((c) => (
              <WebChannel key={c.id} channel={c} language={language} />
            ))}
          </ChannelGroup>
        )}
        {groups.other.length > 0 && (
          <ChannelGroup title={t('service.other')}>
            {groups.other.map((c) => (
              <div key={c.id} className="channel">
                <h4>{loc(c.name, language)}</h4>
                <p className="hint">{t('service.notImported')}</p>
              </div>
            ))}
          </ChannelGroup>
        )}
      </section>
    </article>
  );
}

/**
 * A service the catalogue knows no channel of is not a dead end: what is known of it (who provides
 * it, where) and what to do next (look for its provider, ask the general advice line) are said.
 */
function NoChannels({ service: s, language }: { service: ServiceDetail; language: Language }) {
  const { t } = useTranslation('citizen');
  const municipalities = useMunicipalities();
  const organisations = [...new Set(s.organizations.map((o) => loc(o.name, language)).filter(Boolean))];
  const area = s.nationwide
    ? t('service.nationwide')
    : s.municipalities.map((code) => municipalities.find((m) => m.code === code)?.name ?? code).join(', ');
  // The advice line for where the person lives: the municipality's own where the network's operator
  // has one, else the national Citizens' Advice, which tells which authority or service can help.
  const { form } = useSearch();
  const query = new URLSearchParams({ kind: 'advice', lang: language, ...(form.municipality ? { municipality: form.municipality } : {}) });
  const lines = useApi<{ items: HelpLine[] }>(`/api/v1/help-lines?${query}`);
  const advice = lines.data?.items[0];
  return (
    <div className="panel panel--info no-channels" data-testid="no-channels">
      <p>{t('service.noChannels')}</p>
      <h3>{t('service.known')}</h3>
      <dl className="facts">
        <div>
          <dt>{t('service.organisations')}</dt>
          <dd>{organisations.join(', ') || t('service.notKnown')}</dd>
        </div>
        <div>
          <dt>{t('service.area')}</dt>
          <dd>{area || t('service.notKnown')}</dd>
        </div>
      </dl>
      <h3>{t('service.nextSteps')}</h3>
      <ul>
        {organisations.map((o) => (
          <li key={o}>
            <AppLink to={`/find?text=${encodeURIComponent(o)}`}>{t('service.searchOrganisation', { organisation: o })}</AppLink>
          </li>
        ))}
        {advice && (
          <li>
            {t('service.callAdvice', { line: advice.name })}{' '}
            <a href={`tel:${advice.phone.replace(/\s+/g, '')}`}>{advice.phone}</a>. {advice.description}
          </li>
        )}
      </ul>
    </div>
  );
}

function ChannelGroup({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="channel-group">
      <h3>{title}</h3>
      {children}
    </section>
  );
}

function ChannelHeader({ channel, language }: { channel: Channel; language: Language }) {
  return (
    <>
      <h4>{loc(channel.name, language)}</h4>
      {loc(channel.summary, language) && <p>{loc(channel.summary, language)}</p>}
    </>
  );
}

function WebChannel({ channel, language }: { channel: Channel; language: Language }) {
  const { t } = useTranslation('citizen');
  const pages = [...channel.web_pages].sort((a, b) => Number(b.language === language) - Number(a.language === language));
  return (
    <div className="channel">
      <ChannelHeader channel={channel} language={language} />
      <ul className="plain-list">
        {pages.map((p) => (
          <li key={p.url}>
            <ExternalLink href={p.url} labelNewWindow={t('service.opensNew')} toNewWindow>
              {p.name || p.url}
            </ExternalLink>
          </li>
        ))}
      </ul>
      <Emails channel={channel} />
    </div>
  );
}

function phoneText(p: Phone) {
  return `${p.prefix ?? ''} ${p.number}`.trim();
}

function PhoneList({ phones }: { phones: Phone[] }) {
  const { t } = useTranslation('citizen');
  if (phones.length === 0) return null;
  const charge = (p: Phone) =>
    p.chargeType === 'FreeOfCharge' ? t('service.chargeFree') : p.chargeType === 'Chargeable' ? t('service.chargeLocal') : p.chargeType ? t('service.chargeOther') : '';
  return (
    <ul className="plain-list">
      {phones.map((p, i) => (
        <li key={i}>
          <a href={`tel:${phoneText(p).replace(/\s+/g, '')}`}>{phoneText(p)}</a>
          {p.additionalInformation && <> – {p.additionalInformation}</>}
          {charge(p) && (
            <span className="hint">
              {' '}
              ({t('service.charge')}: {p.chargeDescription || charge(p)})
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

function Emails({ channel }: { channel: Channel }) {
  const { t } = useTranslation('citizen');
  if (channel.emails.length === 0) return null;
  return (
    <p>
      {t('service.email')}:{' '}
      {channel.emails.map((e, i) => (
        <span key={e.address}>
          {i > 0 && ', '}
          <a href={`mailto:${e.address}`}>{e.address}</a>
        </span>
      ))}
    </p>
  );
}

function PhoneChannel({ channel, language }: { channel: Channel; language: Language }) {
  return (
    <div className="channel">
      <ChannelHeader channel={channel} language={language} />
      <PhoneList phones={channel.phones} />
      <Hours hours={channel.service_hours} language={language} />
    </div>
  );
}

export function formatAddress(a: Address, language: Language) {
  const street = [loc(a.street, language), a.streetNumber].filter(Boolean).join(' ');
  const town = [a.postalCode, loc(a.postOffice, language)].filter(Boolean).join(' ');
  return [street, town].filter(Boolean).join(', ');
}

function PlaceChannel({ channel, language }: { channel: Channel; language: Language }) {
  const { t } = useTranslation('citizen');
  return (
    <div className="channel">
      <ChannelHeader channel={channel} language={language} />
      {channel.addresses.length > 0 && (
        <address>
          {channel.addresses.map((a, i) => (
            <span key={i} className="address">
              {formatAddress(a, language)}
              {loc(a.additionalInformation, language) && <span className="hint"> – {loc(a.additionalInformation, language)}</span>}
            </span>
          ))}
        </address>
      )}
      <PhoneList phones={channel.phones} />
      <Emails channel={channel} />
      {channel.web_pages.length > 0 && (
        <ul className="plain-list">
          {channel.web_pages.map((p) => (
            <li key={p.url}>
              <ExternalLink href={p.url} labelNewWindow={t('service.opensNew')} toNewWindow>
                {p.name || p.url}
              </ExternalLink>
            </li>
          ))}
        </ul>
      )}
      <Hours hours={channel.service_hours} language={language} />
    </div>
  );
}

const time = (v: string | null, language: Language) => {
  if (!v) return '';
  const [h, m] = v.split(':');
  return language === 'fi' ? `${Number(h)}.${m}` : `${h}:${m}`;
};

function Hours({ hours, language }: { hours: ServiceHours[]; language: Language }) {
  const { t } = useTranslation('citizen');
  if (hours.length === 0) return null;
  const day = (d: string) => t(`service.days.${d}`, { defaultValue: d });
  return (
    <div className="hours">
      <h5>{t('service.hours')}</h5>
      {hours.map((h, i) => (
        <div key={i}>
          {h.type && h.type !== 'DaysOfTheWeek' && h.type !== 'Standard' && <p className="hint">{t('service.exceptional')}</p>}
          {h.isAlwaysOpen && <p>{t('service.alwaysOpen')}</p>}
          {h.isClosed && <p>{t('service.closed')}</p>}
          {h.isReservation && <p>{t('service.byAppointment')}</p>}
          {h.openingHours.length > 0 && (
            <dl className="hours__list">
              {h.openingHours.map((o, j) => (
                <div key={j}>
                  <dt>{o.dayTo ? `${day(o.dayFrom)}–${day(o.dayTo)}` : day(o.dayFrom)}</dt>
                  <dd>
                    {time(o.from, language)}–{time(o.to, language)}
                  </dd>
                </div>
              ))}
            </dl>
          )}
          {loc(h.additionalInformation, language) && <p className="hint">{loc(h.additionalInformation, language)}</p>}
        </div>
      ))}
    </div>
  );
}
