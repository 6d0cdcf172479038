import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { styled } from 'styled-components';
import { Button, Heading, Paragraph, Table } from 'suomifi-ui-components';
import { consoleApi, localText, type ApiClient } from '../../api.ts';
import { ServiceFacts, texts } from '../../components/ServiceFacts.tsx';
import { AppLink, ClaimChip, ConfirmDialog, LoadState, PageHeading, Small, StatusChip, SuccessAlert, actorText, formatDateTime, useLanguage } from '../../components/common.tsx';
import { useLoad } from '../../../shared/load.ts';
import { RateLimit, clientStatus } from '../org/Clients.tsx';
import { ClientRateLimitDialog } from './ClientRateLimit.tsx';
import { Actions, DecisionDialog, decisionsFor, type Decision } from './Members.tsx';
import { PrivacyBudget } from './PrivacyBudget.tsx';

const Facts = styled.dl`
  display: grid;
  grid-template-columns: max-content 1fr;
  gap: 6px 24px;
  margin: 0 0 24px;
  dt {
    font-weight: 600;
  }
  dd {
    margin: 0;
  }
`;

const Requested = styled.ul`
  list-style: none;
  padding: 0;
  margin: 0 0 24px;
  li {
    padding: 12px 0;
    border-bottom: 1px solid #c8cdd0;
  }
  .name {
    display: block;
    font-weight: 600;
  }
  .verdict {
    display: inline-block;
    margin-top: 6px;
    padding: 2px 8px;
    border-radius: 4px;
    font-size: 15px;
    color: #2a2a2a;
  }
  /* Amber for what the administrator must check, green for what the catalogue vouches for: with words, never colour alone. */
  .verdict.check {
    background: #fff1d6;
    box-shadow: inset 0 0 0 1px #c65c00;
  }
  .verdict.ok {
    background: #e6f4ea;
    box-shadow: inset 0 0 0 1px #09a580;
  }
`;

/** The services an application named, each told apart from its namesakes, with what its business ID says: what the administrator approves. */
function RequestedServices({ id }: { id: string }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const requested = useLoad((signal) => consoleApi.requestedServices(id, { signal }), [id]);
  return (
    <>
      <Heading variant="h2" mb="s" id="member-requested">
        {t('member.requested')}
      </Heading>
      <LoadState loaded={requested}>
        {({ business_id, services }) =>
          services.length === 0 ? (
            <Paragraph mb="m">{t('member.requestedNone')}</Paragraph>
          ) : (
            <>
              <Paragraph mb="s">{t('member.requestedIntro', { businessId: business_id })}</Paragraph>
              <Requested aria-labelledby="member-requested">
                {services.map((s) => (
                  <li key={s.service_id}>
                    <span className="name">{localText(s.name, language) || s.service_id}</span>
                    {s.in_catalogue ? (
                      <ServiceFacts
                        facts={{
                          nationwide: s.nationwide,
                          municipalities: texts(s.municipalities.map((m) => m.name), language),
                          organisations: s.organisations.map((o) => [localText(o.name, language), o.business_id].filter(Boolean).join(', ')),
                          serviceClasses: texts(s.service_classes.map((c) => c.name), language),
                        }}
                      />
                    ) : null}
                    {!s.in_catalogue ? (
                      <span className="verdict check">{t('member.requestedGone')}</span>
                    ) : s.held_by ? (
                      <span className="verdict check">{t('member.requestedHeld', { name: s.held_by.name })}</span>
                    ) : s.business_id_match ? (
                      <span className="verdict ok">{t('member.requestedMatch')}</span>
                    ) : (
                      <span className="verdict check">{t('member.requestedNoMatch')}</span>
                    )}
                  </li>
                ))}
              </Requested>
            </>
          )
        }
      </LoadState>
    </>
  );
}

const ServiceList = styled.ul`
  padding-left: 20px;
  li {
    margin: 6px 0;
  }
`;

/** One member for the network administrator: facts, decisions, its clients (rate limit, suspend/reinstate), its services and claims, its privacy budget. */
export function MemberDetail({ id }: { id: string }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const detail = useLoad(async (signal) => {
    const member = await consoleApi.member(id, { signal });
    return { member, history: member.history };
  }, [id]);
  const clients = useLoad((signal) => consoleApi.clients(id, { signal }), [id]);
  const services = useLoad((signal) => consoleApi.services(id, { signal }), [id]);
  const [decision, setDecision] = useState<Decision | null>(null);
  const [clientAction, setClientAction] = useState<{ action: 'suspend' | 'reinstate'; id: string; name: string } | null>(null);
  const [rateClient, setRateClient] = useState<ApiClient | null>(null);
  const [done, setDone] = useState<string | null>(null);

  return (
    <LoadState loaded={detail}>
      {({ member, history }) => (
        <>
          <PageHeading title={t('member.title', { name: member.name })}>{t('member.title', { name: member.name })}</PageHeading>
          <Paragraph mb="m">
            <AppLink to="/admin/members">{t('member.back')}</AppLink>
          </Paragraph>
          <SuccessAlert>{done}</SuccessAlert>
          <Heading variant="h2" mb="s">
            {t('member.facts')}
          </Heading>
          <Facts>
            <dt>{t('members.businessId')}</dt>
            <dd>{member.business_id}</dd>
            <dt>{t('members.status')}</dt>
            <dd>
              <StatusChip status={member.status} />
            </dd>
            <dt>{t('members.contact')}</dt>
            <dd>
              {member.contact_name}, {member.contact_email}
            </dd>
            <dt>{t('members.applied')}</dt>
            <dd>{formatDateTime(member.created_at, language)}</dd>
            <dt>{t('member.services')}</dt>
            <dd>
              {t('member.serviceCounts', { count: member.service_count })}
              {member.pending_claims > 0 && (
                <>
                  {', '}
                  <AppLink to="/admin/claims">{t('members.pendingClaims', { count: member.pending_claims })}</AppLink>
                </>
              )}
            </dd>
            {member.decision_reason && (
              <>
                <dt>{t('members.reason')}</dt>
                <dd>{member.decision_reason}</dd>
              </>
            )}
          </Facts>
          {member.status === 'pending' && <RequestedServices id={id} />}
          <Actions>
            {decisionsFor(member.status).map((d) => (
              <Button key={d} variant={d === 'approve' || d === 'reinstate' ? 'default' : 'secondary'} onClick={() => setDecision(d)}>
                {t(`members.${d}`)}
              </Button>
            ))}
          </Actions>

          <Heading variant="h2" mt="xl" mb="s" id="member-history">
            {t('member.history')}
          </Heading>
          {history.length === 0 ? (
            <Paragraph>{t('member.noHistory')}</Paragraph>
          ) : (
            <Table
              aria-labelledby="member-history"
              condensed
              columns={[
                { key: 'when', labelText: t('member.when') },
                { key: 'what', labelText: t('member.what') },
                { key: 'who', labelText: t('member.who') },
                { key: 'why', labelText: t('member.why') },
              ]}
              data={history.map((h, i) => ({
                id: String(i),
                when: formatDateTime(h.at, language),
                what: t(`member.actions.${h.action}`, { defaultValue: h.action }),
                who: actorText(h.actor),
                why: h.reason ?? '',
              }))}
            />
          )}

          <Heading variant="h2" mt="xl" mb="s" id="member-clients">
            {t('member.clients')}
          </Heading>
          <LoadState loaded={clients}>
            {({ clients: list }) =>
              list.length === 0 ? (
                <Paragraph>{t('clients.empty')}</Paragraph>
              ) : (
                <Table
                  aria-labelledby="member-clients"
                  condensed
                  columns={[
                    { key: 'name', labelText: t('clients.name') },
                    { key: 'scopes', labelText: t('clients.scopes') },
                    { key: 'last', labelText: t('clients.lastUsed') },
                    { key: 'rate', labelText: t('clients.rateLimitColumn') },
                    { key: 'status', labelText: t('clients.status') },
                    { key: 'actions', labelText: t('clients.actions') },
                  ]}
                  data={list.map((c) => {
                    const status = clientStatus(c);
                    const action = status === 'active' ? 'suspend' : status === 'suspended' ? 'reinstate' : null;
                    return {
                      id: c.client_id,
                      name: (
                        <>
                          {c.name}
                          <Small>
                            <code>{c.client_id}</code>
                          </Small>
                        </>
                      ),
                      scopes: c.scopes.join(', '),
                      last: c.last_used_at ? formatDateTime(c.last_used_at, language) : t('clients.never'),
                      rate: <RateLimit client={c} />,
                      status: <StatusChip status={status} />,
                      actions: action && (
                        <Actions>
                          <Button variant="secondary" onClick={() => setRateClient(c)} aria-label={`${t('member.rateLimitChange')}: ${c.name}`}>
                            {t('member.rateLimitChange')}
                          </Button>
                          <Button
                            variant={action === 'suspend' ? 'secondary' : 'default'}
                            onClick={() => setClientAction({ action, id: c.client_id, name: c.name })}
                            aria-label={`${t(`members.${action}`)}: ${c.name}`}
                          >
                            {t(`members.${action}`)}
                          </Button>
                        </Actions>
                      ),
                    };
                  })}
                />
              )
            }
          </LoadState>

          <Heading variant="h2" mt="xl" mb="s">
            {t('member.services')}
          </Heading>
          <LoadState loaded={services}>
            {({ services: list }) =>
              list.length === 0 ? (
                <Paragraph>{t('member.noServices')}</Paragraph>
              ) : (
                <ServiceList>
                  {list.map((s) => (
                    <li key={s.service_id}>
                      <span>{localText(s.name, language) || s.service_id}</span> <ClaimChip status={s.claim.status} />
                    </li>
                  ))}
                </ServiceList>
              )
            }
          </LoadState>

          <PrivacyBudget memberId={id} />

          <DecisionDialog
            decision={decision}
            member={decision ? member : null}
            onDone={(text) => {
              setDone(text);
              detail.reload();
              clients.reload();
            }}
            onClose={() => setDecision(null)}
          />
          <ClientRateLimitDialog
            client={rateClient}
            onDone={(text) => {
              setDone(text);
              clients.reload();
            }}
            onClose={() => setRateClient(null)}
          />
          <ConfirmDialog
            visible={clientAction !== null}
            title={clientAction ? t(`member.${clientAction.action}Client`, { name: clientAction.name }) : ''}
            confirmText={clientAction ? t(`members.${clientAction.action}`) : ''}
            onConfirm={async () => {
              if (!clientAction) return;
              if (clientAction.action === 'suspend') await consoleApi.suspendClient(clientAction.id);
              else await consoleApi.reinstateClient(clientAction.id);
              setDone(t(clientAction.action === 'suspend' ? 'member.clientSuspended' : 'member.clientReinstated', { name: clientAction.name }));
              clients.reload();
            }}
            onClose={() => setClientAction(null)}
          />
        </>
      )}
    </LoadState>
  );
}
