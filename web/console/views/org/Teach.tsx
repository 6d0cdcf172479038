import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { styled } from 'styled-components';
import { Button, Checkbox, CheckboxGroup, Heading, Paragraph, RadioButton, RadioButtonGroup, StaticChip, Text, Textarea } from 'suomifi-ui-components';
import { consoleApi, localText, type MemberService, type Recommendation } from '../../api.ts';
import { AppLink, ErrorAlert, PageHeading, useLanguage } from '../../components/common.tsx';
import { useLoad } from '../../../shared/load.ts';
import { NativeSelect } from '../../components/NativeSelect.tsx';
import { METERS, type Meter } from '../../../../src/recommender/meter-names.ts';
import { meterName } from '../../meter-names.ts';


const Sliders = styled.fieldset`
  border: 0;
  padding: 0;
  margin: 0 0 24px;
  legend {
    padding: 0;
  }
  .grid {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(260px, 1fr));
    gap: 16px 32px;
    margin-top: 12px;
  }
  .slider label {
    display: flex;
    justify-content: space-between;
    font-weight: 600;
    margin-bottom: 4px;
  }
  .slider output {
    font-weight: 400;
    min-width: 3ch;
    text-align: right;
  }
  input[type='range'] {
    width: 100%;
    accent-color: #2a6ebb;
    height: 28px;
    margin: 0;
  }
  input[type='range']:focus-visible {
    outline: 3px solid #1a99c7;
    outline-offset: 2px;
  }
  .scale {
    display: flex;
    justify-content: space-between;
    font-size: 14px;
    color: #5f686d;
  }
`;

const Results = styled.ol`
  list-style: none;
  padding: 0;
  margin: 0;
  > li {
    border: 1px solid #c8cdd0;
    border-radius: 2px;
    padding: 16px 20px;
    margin-bottom: 16px;
  }
  .head {
    display: flex;
    flex-wrap: wrap;
    gap: 8px 16px;
    align-items: baseline;
    justify-content: space-between;
  }
  .why {
    color: #41403e;
    font-size: 15px;
  }
  form {
    margin-top: 12px;
    display: grid;
    grid-template-columns: minmax(180px, 1fr) minmax(0, 2fr);
    gap: 0 24px;
    align-items: start;
  }
  form .send {
    grid-column: 1 / -1;
    display: flex;
    flex-wrap: wrap;
    gap: 8px 16px;
    align-items: center;
  }
  @media (max-width: 700px) {
    form {
      grid-template-columns: minmax(0, 1fr);
    }
  }
`;

const OwnForm = styled.form`
  border: 1px solid #c8cdd0;
  border-radius: 2px;
  padding: 16px 20px;
  margin: 0 0 40px;
  .send {
    display: flex;
    flex-wrap: wrap;
    gap: 8px 16px;
    align-items: center;
  }
`;

// A clear need in the one area: what a person who struggles there answers (0–10, low is a need).
const NEED = 2;

/**
 * A provider knows what its own services are for: it picks one and ticks the areas of life it helps
 * with, instead of waiting for the service to turn up in someone else's top ten. Each ticked area is
 * one teaching signal (a situation with a need in that area alone, fits): one signal per area keeps
 * the areas apart for the recommender, which compares needs by their direction.
 */
function TeachOwnService({ memberId, services }: { memberId: string; services: MemberService[] }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const [serviceId, setServiceId] = useState('');
  const [areas, setAreas] = useState<Meter[]>([]);
  const [comment, setComment] = useState('');
  const [state, setState] = useState<'idle' | 'saving' | 'saved' | 'missing'>('idle');
  const [saved, setSaved] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const options = services
    .map((s) => ({ value: s.service_id, label: localText(s.name, language) || s.service_id }))
    .sort((a, b) => a.label.localeCompare(b.label, language));
  const chosen = serviceId || options[0]?.value || '';

  const send = async (event: FormEvent) => {
    event.preventDefault();
    if (areas.length === 0) {
      setState('missing');
      return;
    }
    setState('saving');
    setError(undefined);
    try {
      for (const area of areas)
        await consoleApi.teach(memberId, { meters: { [area]: NEED }, service_id: chosen, fits: true, ...(comment.trim() ? { comment: comment.trim() } : {}) });
      const name = options.find((o) => o.value === chosen)?.label ?? '';
      setSaved(t('teach.ownSaved', { name, areas: METERS.filter((m) => areas.includes(m)).map((m) => meterName(language, m)).join(', ') }));
      setState('saved');
    } catch (e) {
      setError(e);
      setState('idle');
    }
  };

  return (
    <section aria-labelledby="teach-own">
      <Heading variant="h2" id="teach-own" mb="s">
        {t('teach.ownTitle')}
      </Heading>
      {options.length === 0 ? (
        <Paragraph mb="xl">
          {t('teach.ownNone')} <AppLink to="/org/services">{t('teach.ownNoneLink')}</AppLink>
        </Paragraph>
      ) : (
        <OwnForm onSubmit={send} noValidate>
          <Paragraph mb="m">{t('teach.ownIntro')}</Paragraph>
          <NativeSelect label={t('teach.ownService')} value={chosen} onChange={(v) => { setServiceId(v); setState('idle'); }} options={options} />
          <CheckboxGroup
            labelText={t('teach.ownAreas')}
            groupHintText={t('teach.ownAreasHint')}
            groupStatus={state === 'missing' ? 'error' : 'default'}
            groupStatusText={state === 'missing' ? t('teach.ownAreasMissing') : undefined}
            mb="m"
          >
            {METERS.map((m) => (
              <Checkbox
                key={m}
                value={m}
                checked={areas.includes(m)}
                onClick={({ checkboxState }) => {
                  setAreas((list) => (checkboxState ? [...list, m] : list.filter((x) => x !== m)));
                  setState('idle');
                }}
              >
                {meterName(language, m)}
              </Checkbox>
            ))}
          </CheckboxGroup>
          <Textarea
            labelText={t('teach.comment')}
            hintText={t('teach.commentHint')}
            optionalText={t('app.optional')}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            maxLength={1000}
            rows={2}
            fullWidth
            mb="s"
          />
          <ErrorAlert error={error} />
          <div className="send">
            <Button type="submit" disabled={state === 'saving'}>
              {t('teach.ownSend')}
            </Button>
            <span role="status" aria-live="polite">
              {state === 'saved' ? saved : ''}
            </span>
          </div>
        </OwnForm>
      )}
    </section>
  );
}

type Mark = { fits: 'yes' | 'no' | ''; comment: string; state: 'idle' | 'saving' | 'saved' | 'missing'; error?: unknown };

/** As the AuroraAI demo UI: a life situation on ten sliders and a municipality, the recommendations, and a mark on each. */
export function Teach({ memberId }: { memberId: string }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const [meters, setMeters] = useState<Record<Meter, number>>(() => Object.fromEntries(METERS.map((m) => [m, 5])) as Record<Meter, number>);
  const [municipality, setMunicipality] = useState<string | null>(null);
  const municipalities = useLoad((signal) => consoleApi.municipalities(language, { signal }), [language]);
  const own = useLoad((signal) => consoleApi.services(memberId, { signal }), [memberId]);
  // A claim waiting for approval does not make the service the organisation's yet.
  const ownIds = useMemo(() => new Set(own.data?.services.filter((s) => s.claim.status === 'verified').map((s) => s.service_id) ?? []), [own.data]);
  // The situation the shown recommendations were made for: the marks teach exactly that one.
  const [asked, setAsked] = useState<{ meters: Record<string, number>; municipality: string | null } | null>(null);
  const [result, setResult] = useState<Recommendation | null>(null);
  const [marks, setMarks] = useState<Record<string, Mark>>({});
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const items = useMemo(
    () =>
      (municipalities.data?.items ?? [])
        .map((m) => ({ value: m.code, label: localText(m.name, language) }))
        .sort((a, b) => a.label.localeCompare(b.label, language)),
    [municipalities.data, language],
  );

  const recommend = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const situation = { meters: { ...meters }, municipality };
      const answer = await consoleApi.recommend({ meters: situation.meters, ...(municipality ? { municipality_code: municipality } : {}), language, limit: 10 });
      setAsked(situation);
      setResult(answer);
      setMarks({});
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const mark = (serviceId: string) => marks[serviceId] ?? { fits: '', comment: '', state: 'idle' };
  const update = (serviceId: string, change: Partial<Mark>) => setMarks((all) => ({ ...all, [serviceId]: { ...mark(serviceId), ...all[serviceId], ...change } }));

  const send = async (serviceId: string) => {
    const current = mark(serviceId);
    if (!asked) return;
    if (current.fits === '') {
      update(serviceId, { state: 'missing' });
      return;
    }
    update(serviceId, { state: 'saving', error: undefined });
    try {
      await consoleApi.teach(memberId, {
        meters: asked.meters,
        ...(asked.municipality ? { municipality: asked.municipality } : {}),
        service_id: serviceId,
        fits: current.fits === 'yes',
        ...(current.comment.trim() ? { comment: current.comment.trim() } : {}),
      });
      update(serviceId, { state: 'saved' });
    } catch (e) {
      update(serviceId, { state: 'idle', error: e });
    }
  };

  return (
    <>
      <PageHeading title={t('teach.title')}>{t('teach.title')}</PageHeading>
      <Paragraph mb="l">{t('teach.intro')}</Paragraph>
      {own.data && <TeachOwnService memberId={memberId} services={own.data.services.filter((s) => s.claim.status === 'verified')} />}
      <Heading variant="h2" mb="s">
        {t('teach.topTitle')}
      </Heading>
      <Paragraph mb="m">{t('teach.topIntro')}</Paragraph>
      <form onSubmit={recommend} noValidate>
        <Sliders>
          <legend>
            <Heading variant="h3" as="h3">{t('teach.situation')}</Heading>
          </legend>
          <Paragraph>{t('teach.situationHint')}</Paragraph>
          <div className="grid">
            {METERS.map((m) => (
              <div className="slider" key={m}>
                <label htmlFor={`meter-${m}`}>
                  <span>{meterName(language, m)}</span>
                  <output htmlFor={`meter-${m}`} aria-hidden="true">
                    {meters[m]}
                  </output>
                </label>
                <input
                  id={`meter-${m}`}
                  type="range"
                  min={0}
                  max={10}
                  step={1}
                  value={meters[m]}
                  aria-valuetext={t('teach.sliderValue', { value: meters[m] })}
                  onChange={(e) => setMeters((v) => ({ ...v, [m]: Number(e.target.value) }))}
                />
                <div className="scale" aria-hidden="true">
                  <span>0</span>
                  <span>10</span>
                </div>
              </div>
            ))}
          </div>
        </Sliders>
        <NativeSelect
          label={t('teach.municipality')}
          hint={t('teach.municipalityHint')}
          optionalText={t('app.optional')}
          value={municipality ?? ''}
          onChange={(v) => setMunicipality(v || null)}
          options={[{ value: '', label: t('teach.allMunicipalities') }, ...items]}
        />
        <ErrorAlert error={error} />
        <Button type="submit" disabled={busy} mb="xl">
          {t('teach.show')}
        </Button>
      </form>

      {result && (
        <section aria-labelledby="teach-results">
          <Heading variant="h3" as="h3" id="teach-results" mb="s">
            {t('teach.results')}
          </Heading>
          {result.items.length === 0 ? (
            <Paragraph>{t('teach.noResults')}</Paragraph>
          ) : (
            <Results>
              {result.items.map((item) => {
                const name = localText(item.name, language);
                const m = mark(item.service_id);
                return (
                  <li key={item.service_id} data-service-id={item.service_id}>
                    <div className="head">
                      <Heading variant="h3" as="h3">
                        {name}
                      </Heading>
                      <span>
                        {ownIds.has(item.service_id) && <StaticChip>{t('teach.yours')}</StaticChip>}{' '}
                        <Text>{t('teach.score', { score: Math.round(item.score * 100) })}</Text>
                      </span>
                    </div>
                    {localText(item.summary, language) && <Paragraph mb="xs">{localText(item.summary, language)}</Paragraph>}
                    <Paragraph className="why">{item.explanation}</Paragraph>
                    <form
                      onSubmit={(e) => {
                        e.preventDefault();
                        void send(item.service_id);
                      }}
                      noValidate
                    >
                      <RadioButtonGroup
                        labelText={t('teach.fitsLegend', { name })}
                        name={`fits-${item.service_id}`}
                        value={m.fits}
                        onChange={(v) => update(item.service_id, { fits: v as 'yes' | 'no', state: 'idle' })}
                        groupStatus={m.state === 'missing' ? 'error' : 'default'}
                        groupStatusText={m.state === 'missing' ? t('teach.chooseFirst') : undefined}
                        mb="s"
                      >
                        <RadioButton value="yes">{t('teach.fits')}</RadioButton>
                        <RadioButton value="no">{t('teach.notFits')}</RadioButton>
                      </RadioButtonGroup>
                      <Textarea
                        labelText={t('teach.comment')}
                        hintText={t('teach.commentHint')}
                        optionalText={t('app.optional')}
                        value={m.comment}
                        onChange={(e) => update(item.service_id, { comment: e.target.value, state: 'idle' })}
                        maxLength={1000}
                        rows={2}
                        fullWidth
                        mb="s"
                      />
                      <div className="send">
                        <ErrorAlert error={m.error} />
                        <Button type="submit" variant="secondary" disabled={m.state === 'saving'} aria-label={`${t('teach.sendShort')}: ${name}`}>
                          {t('teach.sendShort')}
                        </Button>
                        <span role="status" aria-live="polite">
                          {m.state === 'saved' ? t('teach.sent', { name }) : ''}
                        </span>
                      </div>
                    </form>
                  </li>
                );
              })}
            </Results>
          )}
        </section>
      )}
    </>
  );
}
