import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { styled } from 'styled-components';
import { Button, Checkbox, CheckboxGroup, Heading, Paragraph, TextInput } from 'suomifi-ui-components';
import { consoleApi, localText, type EventEndpoint, type LifeEventType } from '../../api.ts';
import { ErrorAlert, formatDateTime, useLanguage } from '../../components/common.tsx';
import { useDisabledWhy } from '../../components/EndpointNotice.tsx';
import { StateCard } from '../../components/StateCard.tsx';
import { Actions } from '../admin/Members.tsx';
import { parseMunicipalities } from '../../municipality-codes.ts';

/** The delivery worker turns an endpoint off after this long without a success (src/events/deliver.ts). */
const DISABLE_AFTER_MS = 5 * 24 * 3_600_000;

const Card = styled(StateCard)`
  border-left-color: #2a6ebb;
  &.failing {
    border-left-color: #c65c00;
  }
  &.disabled {
    border-left-color: #c3211c;
  }
  h3 code {
    font-size: inherit;
    overflow-wrap: anywhere;
  }
  .areas {
    margin: 0 0 12px 36px;
    max-width: 480px;
  }
`;

type Choice = Record<string, { on: boolean; areas: string }>;

const choiceOf = (endpoint: EventEndpoint): Choice =>
  Object.fromEntries(endpoint.subscriptions.map((s) => [s.event_type, { on: true, areas: (s.municipalities ?? []).join(', ') }]));

/**
 * One webhook endpoint: its service, address, state (working, failing since, turned off and why),
 * what it receives (a checkbox per event type, optionally only some municipalities), and its actions.
 */
export function EventEndpointCard(props: {
  memberId: string;
  endpoint: EventEndpoint;
  service: string;
  types: LifeEventType[];
  onSaved: () => void;
  onEnable: () => void;
  onRotate: () => void;
  onRemove: () => void;
}) {
  const { endpoint, types } = props;
  const { t } = useTranslation('console');
  const language = useLanguage();
  const whyOf = useDisabledWhy();
  const [choice, setChoice] = useState<Choice>(() => choiceOf(endpoint));
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [note, setNote] = useState<string | null>(null);
  const nameOf = (type: string) => localText(types.find((x) => x.type === type)?.name, language) || type;
  const isMember = (type: string) => Boolean(types.find((x) => x.type === type)?.member);
  const problems = Object.fromEntries(
    Object.entries(choice)
      .filter(([type, c]) => c.on && !isMember(type))
      .map(([type, c]) => [type, parseMunicipalities(c.areas).wrong] as const)
      .filter(([, wrong]) => wrong.length > 0),
  );
  const state = endpoint.disabled_at ? 'disabled' : endpoint.failing_since ? 'failing' : 'working';

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setNote(null);
    if (Object.keys(problems).length) return;
    setBusy(true);
    setError(undefined);
    try {
      let changes = 0;
      for (const { type } of types) {
        const now = endpoint.subscriptions.find((s) => s.event_type === type);
        const wanted = choice[type];
        if (wanted?.on) {
          // A member event is sent for the member's own follows, never by municipality.
          const codes = isMember(type) ? null : parseMunicipalities(wanted.areas).codes;
          if (now && JSON.stringify(now.municipalities) === JSON.stringify(codes)) continue;
          await consoleApi.subscribeEvent(props.memberId, endpoint.id, type, codes);
          changes++;
        } else if (now) {
          await consoleApi.unsubscribeEvent(props.memberId, endpoint.id, type);
          changes++;
        }
      }
      setSubmitted(false);
      // Said beside the button, in a live region that is always there, so that it is heard too.
      setNote(changes ? t('lifeEvents.subscriptionsSaved', { url: endpoint.url }) : t('lifeEvents.nothingChanged'));
      if (changes) props.onSaved();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const disabled = endpoint.disabled_at ? whyOf(endpoint.disabled_reason) : null;
  return (
    <Card className={state} aria-labelledby={`endpoint-${endpoint.id}`} data-testid="event-endpoint">
      <Heading variant="h3" as="h3" id={`endpoint-${endpoint.id}`} mb="s">
        {t('lifeEvents.endpointHeading')} <code>{endpoint.url}</code>
      </Heading>
      <dl>
        <dt>{t('lifeEvents.service')}</dt>
        <dd>{props.service}</dd>
        <dt>{t('lifeEvents.added')}</dt>
        <dd>{formatDateTime(endpoint.created_at, language)}</dd>
        <dt>{t('lifeEvents.status')}</dt>
        <dd data-testid="endpoint-status">
          {state === 'working' && t('lifeEvents.working')}
          {state === 'failing' &&
            t('lifeEvents.failing', {
              since: formatDateTime(endpoint.failing_since, language),
              until: formatDateTime(new Date(new Date(endpoint.failing_since!).getTime() + DISABLE_AFTER_MS).toISOString(), language),
            })}
          {disabled && (
            <>
              <strong>{t('lifeEvents.disabled', { when: formatDateTime(endpoint.disabled_at, language), why: disabled.why })}</strong>
              {disabled.last && (
                <>
                  {' '}
                  {t('lifeEvents.lastAnswer')} <code lang="en">{disabled.last}</code>
                </>
              )}
            </>
          )}
        </dd>
        <dt>{t('lifeEvents.receives')}</dt>
        <dd data-testid="endpoint-receives">
          {endpoint.subscriptions.length === 0
            ? t('lifeEvents.receivesNothing')
            : endpoint.subscriptions
                .map((s) => `${nameOf(s.event_type)} (${s.municipalities ? t('lifeEvents.onlyIn', { codes: s.municipalities.join(', ') }) : t(isMember(s.event_type) ? 'lifeEvents.ownFollows' : 'lifeEvents.everywhere')})`)
                .join('; ')}
        </dd>
      </dl>

      <form onSubmit={save} noValidate>
        <CheckboxGroup labelText={t('lifeEvents.subscriptionsLegend')} groupHintText={t('lifeEvents.subscriptionsHint')} mb="s">
          {types.map((type) => {
            const c = choice[type.type] ?? { on: false, areas: '' };
            const wrong = submitted ? problems[type.type] : undefined;
            return (
              <div key={type.type}>
                <Checkbox
                  value={type.type}
                  checked={c.on}
                  onClick={({ checkboxState }) => setChoice((all) => ({ ...all, [type.type]: { on: checkboxState, areas: all[type.type]?.areas ?? '' } }))}
                  hintText={type.member ? t('lifeEvents.memberTypeHint') : undefined}
                >
                  {localText(type.name, language)}
                </Checkbox>
                {c.on && !type.member && (
                  <div className="areas">
                    <TextInput
                      labelText={`${t('lifeEvents.municipalitiesLabel')}: ${localText(type.name, language)}`}
                      hintText={t('lifeEvents.municipalitiesHint')}
                      optionalText={t('app.optional')}
                      value={c.areas}
                      onChange={(v) => setChoice((all) => ({ ...all, [type.type]: { on: true, areas: String(v ?? '') } }))}
                      status={wrong ? 'error' : 'default'}
                      statusText={wrong ? t('lifeEvents.municipalitiesInvalid', { codes: wrong.join(', ') }) : undefined}
                      maxLength={2000}
                      fullWidth
                    />
                  </div>
                )}
              </div>
            );
          })}
        </CheckboxGroup>
        <ErrorAlert error={error} />
        <div role="status" aria-live="polite">
          {note && <Paragraph mb="s">{note}</Paragraph>}
        </div>
        <Actions>
          <Button type="submit" disabled={busy} aria-label={`${t('lifeEvents.saveSubscriptions')}: ${endpoint.url}`}>
            {t('lifeEvents.saveSubscriptions')}
          </Button>
          {endpoint.disabled_at && (
            <Button variant="secondary" onClick={props.onEnable} aria-label={`${t('lifeEvents.enable')}: ${endpoint.url}`}>
              {t('lifeEvents.enable')}
            </Button>
          )}
          <Button variant="secondary" onClick={props.onRotate} aria-label={`${t('lifeEvents.rotate')}: ${endpoint.url}`}>
            {t('lifeEvents.rotate')}
          </Button>
          <Button variant="secondaryNoBorder" onClick={props.onRemove} aria-label={`${t('lifeEvents.remove')}: ${endpoint.url}`}>
            {t('lifeEvents.remove')}
          </Button>
        </Actions>
      </form>
    </Card>
  );
}
