import { useRef, useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Button, Checkbox, InlineAlert, LoadingSpinner, RadioButton, RadioButtonGroup, TextInput } from 'suomifi-ui-components';
import { ApiError } from '../../shared/api.ts';
import { currentLanguage, type Language } from '../../shared/i18n.ts';
import { MunicipalitySelect, useMunicipalities } from '../components/MunicipalitySelect.tsx';
import { PageTitle } from '../components/PageTitle.tsx';
import { DemoMark, ReceiverPanel, useReceiverText } from '../receiver.tsx';
import { Problem } from '../components/Problem.tsx';
import { METERS, METER_TEXTS, asAttributeMeters } from '../meters.ts';
import { my } from '../person.ts';
import { AppLink } from '../../shared/router.tsx';
import { useSearch } from '../search.tsx';
import { latestCheck } from '../storage.ts';
import { fallbackLanguage, formatDate, formatDateTime, loc, textLanguageOf } from '../text.ts';
import type { AttributeInfo, ServiceDetail, TransferResult, TransferTarget } from '../types.ts';
import { useApi } from '../../shared/load.ts';

/**
 * "Go to this service": exactly the attributes the chosen channel accepts, each asked for on its
 * own; on consent the person's own data is sent once to that channel (a link for a web channel, a
 * short code and QR for a desk or phone).
 *
 * One control per attribute: its checkbox is the consent, and ticking it opens the field for its
 * value. Nothing ticks itself: when typing an age ticked "Age", a person who then ticked it as the
 * form told them un-ticked it and the age was silently not sent (issue #14).
 */
type Sent = TransferResult & { channel: string; receiver: TransferTarget['receiver']; attributes: Record<string, unknown> };

export default function TransferPage({ serviceId }: { serviceId: string }) {
  const { t, i18n } = useTranslation('citizen');
  const language = currentLanguage(i18n);
  const service = useApi<ServiceDetail>(`/api/v1/services/${serviceId}?lang=${language}`);
  const targets = useApi<{ targets: TransferTarget[] }>(`/api/v1/services/${serviceId}/transfer-targets`);
  const attributes = useApi<{ attributes: AttributeInfo[] }>('/api/v1/attributes');
  const [done, setDone] = useState<Sent | null>(null);

  const name = loc(service.data?.name, language);
  const nameLanguage = textLanguageOf(service.data, language);
  const serviceName = { text: name, lang: nameLanguage };
  if (service.loading || targets.loading || attributes.loading) return <LoadingSpinner status="loading" text={t('app.loading')} variant="small" textAlign="right" />;
  const failed = service.error ?? targets.error ?? attributes.error;
  return (
    <div className="transfer">
      <p>
        <AppLink to={`/services/${serviceId}`}>
          ← <span lang={name ? nameLanguage : undefined}>{name || t('app.back')}</span>
        </AppLink>
      </p>
      <PageTitle>{done ? (done.mode === 'link' ? t('transfer.linkTitle') : t('transfer.codeTitle')) : t('transfer.title')}</PageTitle>
      {failed ? (
        <Problem error={failed} retry={() => [service, targets, attributes].forEach((x) => x.reload())} />
      ) : done ? (
        <Done result={done} channel={done.channel} receiver={done.receiver} serviceName={serviceName} language={language} sent={done.attributes} titles={attributes.data!.attributes} />
      ) : (targets.data?.targets.length ?? 0) === 0 ? (
        <p>{t('transfer.none')}</p>
      ) : (
        <ConsentForm serviceId={serviceId} serviceName={serviceName} targets={unique(targets.data!.targets)} titles={attributes.data!.attributes} language={language} onDone={setDone} />
      )}
    </div>
  );
}

// A channel linked to its service both by the service and by the channel may be listed twice.
const unique = (targets: TransferTarget[]) => targets.filter((x, i) => targets.findIndex((y) => y.channel_id === x.channel_id) === i);

function ConsentForm({
  serviceId,
  serviceName,
  targets,
  titles,
  language,
  onDone,
}: {
  serviceId: string;
  serviceName: { text: string; lang?: Language };
  targets: TransferTarget[];
  titles: AttributeInfo[];
  language: Language;
  onDone: (result: Sent) => void;
}) {
  const { t } = useTranslation('citizen');
  const receiverText = useReceiverText();
  // Each channel's hint names its receiver when the channels' receivers differ.
  const receivers = new Set(targets.map((x) => receiverText(x.receiver)));
  const { form } = useSearch();
  const check = latestCheck();
  const [channelId, setChannelId] = useState(targets[0]!.channel_id);
  const [chosen, setChosen] = useState<Record<string, boolean>>({});
  const [age, setAge] = useState('');
  const [municipality, setMunicipality] = useState(form.municipality);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errorRef = useRef<HTMLDivElement>(null);
  const target = targets.find((x) => x.channel_id === channelId) ?? targets[0]!;
  const title = (name: string) => {
    const info = titles.find((a) => a.name === name);
    return { title: loc(info?.title ?? name, language) || name, description: loc(info?.description ?? null, language) };
  };

  // What the person has for each attribute, or undefined when they have nothing to give.
  const value = (name: string): unknown => {
    switch (name) {
      case 'age':
        return /^\d{1,3}$/.test(age.trim()) && Number(age) <= 130 ? Number(age) : undefined;
      case 'municipality_code':
        return municipality || undefined;
      case 'life_situation_meters':
        return check && Object.keys(check.meters).length ? asAttributeMeters(check.meters) : undefined;
      default:
        return undefined;
    }
  };
  // Age and municipality are typed or chosen here; the ratings only exist once the check is done.
  const available = (name: string) => ['age', 'municipality_code'].includes(name) || (name === 'life_situation_meters' && value(name) !== undefined);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const names = target.accepts.filter((n) => chosen[n] && available(n));
    if (names.length === 0) return fail(t('transfer.chooseOne'));
    if (names.includes('age') && value('age') === undefined) return fail(t('transfer.badAge'));
    if (names.includes('municipality_code') && value('municipality_code') === undefined) return fail(t('transfer.chooseMunicipality'));
    const attributes = Object.fromEntries(names.map((n) => [n, value(n)]));
    setSending(true);
    try {
      const result = await my<TransferResult>(
        '/transfers',
        {
          body: {
            channel_id: target.channel_id,
            attributes,
            purpose: t('transfer.purpose', { service: serviceName.text }).slice(0, 500),
            language,
            // A channel (a desk) may serve many services: the server keeps which one this is for.
            service_id: serviceId,
          },
        },
        { create: true },
      );
      onDone({ ...result, channel: loc(target.channel_name, language) || target.channel_type, receiver: target.receiver, attributes });
    } catch (e) {
      if (e instanceof ApiError && e.status === 429) fail(t('transfer.tooMany', { seconds: e.retryAfter ?? 60 }));
      else if (e instanceof ApiError && e.status !== 0) fail(t('transfer.rejected', { detail: e.detail ?? e.title }));
      else fail(t('app.offline'));
    } finally {
      setSending(false);
    }
  };
  function fail(message: string) {
    setError(message);
    requestAnimationFrame(() => errorRef.current?.focus());
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="transfer__form">
      <p className="lead">
        {/* The service's name marked with its language where the catalogue has it only in another (Finnish, mostly). */}
        <Trans t={t} i18nKey="transfer.intro" values={{ service: serviceName.text }} components={{ name: <span lang={serviceName.lang} /> }} />
      </p>
      {targets.length > 1 ? (
        <RadioButtonGroup labelText={t('transfer.channel')} name="channel" value={channelId} onChange={setChannelId}>
          {targets.map((x) => {
            const mode = x.mode === 'link' ? t('transfer.modeLink') : t('transfer.modeCode');
            return (
              <RadioButton key={x.channel_id} value={x.channel_id} hintText={receivers.size > 1 ? `${mode}. ${t('receiver.label')}: ${receiverText(x.receiver)}` : mode}>
                <span lang={fallbackLanguage(x.channel_name, language)}>{loc(x.channel_name, language) || x.channel_type}</span>
                {x.receiver.kind === 'demo' && <DemoMark />}
              </RadioButton>
            );
          })}
        </RadioButtonGroup>
      ) : (
        <p>
          <strong lang={fallbackLanguage(target.channel_name, language)}>{loc(target.channel_name, language) || target.channel_type}</strong>
          {target.receiver.kind === 'demo' && <DemoMark />}: {target.mode === 'link' ? t('transfer.modeLink') : t('transfer.modeCode')}
        </p>
      )}
      <ReceiverPanel receiver={target.receiver} />
      <fieldset className="consents">
        <legend>{t('transfer.consent')}</legend>
        <p className="hint">{t('transfer.consentHint')}</p>
        <p>
          {t('transfer.accepts')}: {target.accepts.map((n) => title(n).title).join(', ')}
        </p>
        {target.accepts.map((n) => {
          const info = title(n);
          const can = available(n);
          const ticked = Boolean(chosen[n]) && can;
          return (
            <div key={n} className="consent-item" data-attribute={n}>
              <Checkbox
                checked={ticked}
                disabled={!can}
                hintText={can ? info.description : t('transfer.notAvailable')}
                onClick={({ checkboxState }) => setChosen((c) => ({ ...c, [n]: checkboxState }))}
              >
                {info.title}
              </Checkbox>
              {ticked && (
                <div className="consent-item__value">
                  {n === 'age' && (
                    <TextInput
                      labelText={t('transfer.age')}
                      hintText={t('transfer.ageHint')}
                      type="number"
                      inputMode="numeric"
                      min={0}
                      max={130}
                      value={age}
                      onChange={(v) => setAge(String(v ?? ''))}
                    />
                  )}
                  {n === 'municipality_code' && <MunicipalitySelect id="transfer-municipality" label={t('transfer.municipality')} value={municipality} onChange={setMunicipality} />}
                  {n === 'life_situation_meters' && check && (
                    <>
                      <p>{t('transfer.metersFrom', { date: formatDate(check.taken_at, language) })}</p>
                      <ul>
                        {METERS.filter((m) => check.meters[m] !== undefined).map((m) => (
                          <li key={m}>
                            {METER_TEXTS[language][m].name}: {check.meters[m]}/10
                          </li>
                        ))}
                      </ul>
                    </>
                  )}
                </div>
              )}
              {n === 'life_situation_meters' && !check && (
                <p className="hint">
                  {t('transfer.noCheck')} <AppLink to="/check">{t('find.doCheck')}</AppLink>
                </p>
              )}
            </div>
          );
        })}
      </fieldset>
      <p>
        {t('transfer.purposeLabel')}: {t('transfer.purpose', { service: serviceName.text })}
      </p>
      {error && (
        <div ref={errorRef} tabIndex={-1}>
          <InlineAlert status="error">{error}</InlineAlert>
        </div>
      )}
      <div className="actions">
        <Button type="submit" disabled={sending}>
          {sending ? t('transfer.sending') : t('transfer.send')}
        </Button>
        <AppLink to="/find" className="button button--secondary">
          {t('app.cancel')}
        </AppLink>
      </div>
    </form>
  );
}

function Done({
  result,
  channel,
  receiver,
  serviceName,
  language,
  sent,
  titles,
}: {
  result: TransferResult;
  channel: string;
  receiver: TransferTarget['receiver'];
  serviceName: { text: string; lang?: Language };
  language: Language;
  sent: Record<string, unknown>;
  titles: AttributeInfo[];
}) {
  const { t } = useTranslation('citizen');
  const receiverText = useReceiverText();
  const municipalities = useMunicipalities();
  const code = result.code_display ?? result.code;
  const title = (name: string) => loc(titles.find((a) => a.name === name)?.title ?? name, language) || name;
  // Each value as the person gave it, so that what they see is what left.
  const shown = (name: string, v: unknown) => {
    if (name === 'municipality_code') return municipalities.find((m) => m.code === v)?.name ?? String(v);
    if (name === 'life_situation_meters' && v && typeof v === 'object')
      return (
        <ul>
          {METERS.filter((m) => (v as Record<string, number[]>)[m] !== undefined).map((m) => (
            <li key={m}>
              {METER_TEXTS[language][m].name}: {(v as Record<string, number[]>)[m]!.join(', ')}/10
            </li>
          ))}
        </ul>
      );
    return String(v);
  };
  return (
    <div className="transfer__done" role="status">
      <p>
        <strong lang={serviceName.lang}>{serviceName.text}</strong> – {channel}
        {receiver.kind === 'demo' && <DemoMark />}
      </p>
      <h2>{t('transfer.sentTitle')}</h2>
      <dl className="facts transfer__sent" data-testid="transfer-sent">
        <div>
          <dt>{t('receiver.label')}</dt>
          <dd>{receiverText(receiver)}</dd>
        </div>
        {Object.entries(sent).map(([name, v]) => (
          <div key={name} data-attribute={name}>
            <dt>{title(name)}</dt>
            <dd>{shown(name, v)}</dd>
          </div>
        ))}
        <div>
          <dt>{t('transfer.validUntil')}</dt>
          <dd>{formatDateTime(result.expires_at, language)}</dd>
        </div>
      </dl>
      {result.mode === 'link' && result.link ? (
        <>
          <p>{t('transfer.linkHelp')}</p>
          <p>
            <a href={result.link} className="button button--primary" data-testid="transfer-link" rel="noreferrer">
              {t('transfer.openLink', { service: serviceName.text })}
            </a>
          </p>
        </>
      ) : (
        <>
          <p>{t('transfer.codeHelp')}</p>
          {code && (
            <p className="transfer-code" data-testid="transfer-code">
              {code}
            </p>
          )}
          {result.qr_svg && code && <img className="transfer-qr" src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(result.qr_svg)}`} alt={t('transfer.qr', { code })} width={220} height={220} />}
        </>
      )}
      <p>
        {t('transfer.receipt')} <AppLink to="/my">{t('transfer.toMy')}</AppLink>
      </p>
    </div>
  );
}
