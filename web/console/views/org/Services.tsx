import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { styled } from 'styled-components';
import {
  Button,
  Checkbox,
  CheckboxGroup,
  Dropdown,
  DropdownItem,
  Expander,
  ExpanderContent,
  ExpanderTitleButton,
  Heading,
  InlineAlert,
  Modal,
  ModalContent,
  ModalFooter,
  ModalTitle,
  Paragraph,
  Table,
  TextInput,
} from 'suomifi-ui-components';
import { ApiError, consoleApi, localText, type ApiClient, type Attribute, type MemberChannel, type MemberService } from '../../api.ts';
import { ClaimChip, ConfirmDialog, ErrorAlert, LoadState, PageHeading, SuccessAlert, WrappingTable, formatDate, useLanguage } from '../../components/common.tsx';
import { useSession } from '../../session.tsx';
import { useLoad } from '../../../shared/load.ts';
import { ServiceSearch } from '../../components/ServiceSearch.tsx';
import { DisabledEndpointsOnHome } from '../../components/EndpointNotice.tsx';
import { Actions } from '../admin/Members.tsx';
import { clientStatus } from './Clients.tsx';

const Small = styled.span`
  display: block;
  font-size: 14px;
  color: #5f686d;
  word-break: break-all;
`;

// A sentence under a cell's value: it wraps between words, unlike an address in Small.
const Hint = styled.span`
  display: block;
  font-size: 14px;
  color: #5f686d;
`;

const List = styled.ul`
  margin: 0 0 12px;
  padding-left: 20px;
  li {
    margin: 2px 0;
  }
`;

const AlertText = styled.p`
  margin: 0 0 8px;
`;

const TitleRow = styled.span`
  display: inline-flex;
  flex-wrap: wrap;
  align-items: center;
  gap: 4px 12px;
`;

/** An exact landing address: https, or http on localhost, as the server requires. */
export function landingUrlOk(value: string): boolean {
  try {
    const url = new URL(value.trim());
    if (url.protocol === 'https:') return true;
    return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  } catch {
    return false;
  }
}

/** A service's claim in words: verified (and how), or waiting for the network administrator and what that means. */
function ClaimState({ service }: { service: MemberService }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const { staff } = useSession();
  const { claim } = service;
  if (claim.status === 'pending')
    return (
      <InlineAlert status="warning" labelText={t('services.claimPendingTitle')} mb="m">
        {t('services.claimPending')}
      </InlineAlert>
    );
  const when = formatDate(claim.verified_at, language);
  const text =
    claim.verification === 'business-id'
      ? t('services.claimByBusinessId', { businessId: staff?.member?.business_id ?? '', date: when })
      : claim.verification === 'creator'
        ? t('services.claimByCreator', { date: when })
        : t('services.claimByAdministrator', { date: when });
  return <Paragraph mb="m">{text}</Paragraph>;
}

/**
 * The member's services (its claims, verified or waiting) and their channels' session-transfer
 * settings; claiming from the catalogue. Transfer is offered only where it can work: on a verified
 * service's channels that serve no service that is not the member's.
 */
export function Services({ memberId }: { memberId: string }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const services = useLoad((signal) => consoleApi.services(memberId, { signal }), [memberId]);
  const clients = useLoad((signal) => consoleApi.clients(memberId, { signal }), [memberId]);
  const attributes = useLoad((signal) => consoleApi.attributes({ signal }), []);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState<{ channel: MemberChannel; name: string } | null>(null);
  const [removing, setRemoving] = useState<{ kind: 'service' | 'transfer'; id: string; name: string } | null>(null);
  const claimed = useMemo(() => new Map(services.data?.services.map((s) => [s.service_id, s]) ?? []), [services.data]);
  const claimedIds = useMemo(() => new Set(claimed.keys()), [claimed]);
  // What was said was said in the language of the moment: another language starts afresh.
  useEffect(() => {
    setDone(null);
    setError(undefined);
  }, [language]);

  const link = async (serviceId: string, name: string) => {
    setDone(null);
    setError(undefined);
    try {
      const service = await consoleApi.linkService(memberId, serviceId);
      setDone(t(service.claim.status === 'verified' ? 'services.claimedVerified' : 'services.claimedPending', { name }));
      services.reload();
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) setError(t('services.taken', { name }));
      else setError(e);
    }
  };

  /** Claims the other services a shared channel serves, one by one; says which are another organisation's. */
  const claimOthers = async (others: { service_id: string; name: string }[]) => {
    setDone(null);
    setError(undefined);
    setBusy(true);
    const taken: string[] = [];
    let count = 0;
    try {
      for (const other of others) {
        try {
          await consoleApi.linkService(memberId, other.service_id);
          count++;
        } catch (e) {
          if (e instanceof ApiError && e.status === 409) taken.push(other.name);
          else throw e;
        }
      }
      if (count) setDone(t('services.claimedMany', { count }));
      if (taken.length) setError(t('services.takenMany', { names: taken.join(', ') }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
      services.reload();
    }
  };

  /** The services a channel also serves that are not the member's, but for the one it is listed under. */
  const othersOf = (service: MemberService, channel: MemberChannel) =>
    channel.other_services.filter((o) => o.service_id !== service.service_id).map((o) => ({ service_id: o.service_id, name: localText(o.name, language) || o.service_id }));

  const channelRows = (service: MemberService) =>
    service.channels.map((c) => {
      const name = localText(c.name, language) || c.channel_id;
      const clientName = c.transfer ? (clients.data?.clients.find((x) => x.client_id === c.transfer!.client_id)?.name ?? c.transfer.client_id) : '';
      const title = (n: string) => attributes.data?.attributes.find((a) => a.name === n)?.title;
      const pending = service.claim.status === 'pending';
      const shared = othersOf(service, c).length > 0;
      // Another member's (or the network's) receiver on the channel: not this member's to edit.
      const receivedByOther = c.received_by_other;
      const canSetUp = !pending && !shared && !receivedByOther;
      return {
        id: c.channel_id,
        channel: name,
        type: t(`channelTypes.${c.type}`, { defaultValue: c.type }),
        transfer: c.transfer ? (
          <>
            {canSetUp ? t('services.transferOnShort') : t('services.transferIdle')}
            {!canSetUp && <Small>{t(pending ? 'services.transferIdlePending' : 'services.transferIdleShared')}</Small>}
            <Small>{c.transfer.landing_url}</Small>
            <Small>
              {t('services.accepts')}: {c.transfer.accepts.map((a) => localText(title(a), language) || a).join(', ')}
            </Small>
            <Small>
              {t('services.client')}: {clientName}
            </Small>
          </>
        ) : receivedByOther ? (
          <>
            <span>{t('services.receivedByOther')}</span>
            <Hint>{t('services.receivedByOtherHint')}</Hint>
          </>
        ) : pending ? (
          t('services.transferAfterApproval')
        ) : shared ? (
          t('services.transferShared')
        ) : (
          t('services.transferOff')
        ),
        actions: (
          <Actions>
            {canSetUp && (
              <Button variant="secondary" onClick={() => setEditing({ channel: c, name })} aria-label={`${t(c.transfer ? 'services.editShort' : 'services.setUpShort')}: ${name}`}>
                {t(c.transfer ? 'services.editShort' : 'services.setUpShort')}
              </Button>
            )}
            {c.transfer && (
              <Button variant="secondaryNoBorder" onClick={() => setRemoving({ kind: 'transfer', id: c.channel_id, name })} aria-label={`${t('services.turnOffShort')}: ${name}`}>
                {t('services.turnOffShort')}
              </Button>
            )}
          </Actions>
        ),
      };
    });

  /** Under the table: each channel shared with services that are not the member's, which ones, and what to do. */
  const sharedChannels = (service: MemberService) =>
    service.channels.map((c) => {
      const others = othersOf(service, c);
      if (others.length === 0) return null;
      const name = localText(c.name, language) || c.channel_id;
      const unclaimed = others.filter((o) => !claimedIds.has(o.service_id));
      // Every other service on the channel is claimed already: only the approvals are missing.
      if (unclaimed.length === 0)
        return (
          <InlineAlert key={c.channel_id} status="neutral" labelText={t('services.sharedClaimedTitle', { channel: name })} mb="m" data-channel={c.channel_id}>
            <AlertText>{t('services.sharedClaimedText', { count: others.length })}</AlertText>
            <List>
              {others.map((o) => (
                <li key={o.service_id}>{o.name}</li>
              ))}
            </List>
          </InlineAlert>
        );
      return (
        <InlineAlert key={c.channel_id} status="neutral" labelText={t('services.sharedTitle', { channel: name })} mb="m" data-channel={c.channel_id}>
          <AlertText>{t('services.sharedText', { count: others.length })}</AlertText>
          <List>
            {others.map((o) => (
              <li key={o.service_id}>
                {o.name}
                {claimedIds.has(o.service_id) && <Small>{t('services.sharedYoursPending')}</Small>}
              </li>
            ))}
          </List>
          <AlertText>{t('services.sharedWhatToDo')}</AlertText>
          <Button variant="secondary" disabled={busy} onClick={() => void claimOthers(unclaimed)}>
            {t('services.sharedClaim', { count: unclaimed.length })}
          </Button>
        </InlineAlert>
      );
    });

  return (
    <>
      <PageHeading title={t('services.title')}>{t('services.title')}</PageHeading>
      <DisabledEndpointsOnHome memberId={memberId} />
      <Paragraph mb="s">{t('services.intro')}</Paragraph>
      <Paragraph mb="l">{t('services.introClaims')}</Paragraph>
      <SuccessAlert>{done}</SuccessAlert>
      <ErrorAlert error={error} />
      <Heading variant="h2" mb="s">
        {t('services.linked')}
      </Heading>
      <LoadState loaded={services}>
        {({ services: list }) =>
          list.length === 0 ? (
            <Paragraph mb="l">{t('services.none')}</Paragraph>
          ) : (
            <div style={{ marginBottom: 32 }}>
              {list.map((service) => {
                const name = localText(service.name, language) || service.service_id;
                return (
                  <Expander key={service.service_id} mb="s" defaultOpen={list.length === 1} data-service={service.service_id}>
                    <ExpanderTitleButton asHeading="h3">
                      <TitleRow>
                        <span>{name}</span>
                        <ClaimChip status={service.claim.status} />
                      </TitleRow>
                    </ExpanderTitleButton>
                    <ExpanderContent>
                      <ClaimState service={service} />
                      {service.channels.length === 0 ? (
                        <InlineAlert status="neutral" labelText={t('services.noChannelsTitle')} mb="m">
                          <AlertText>{t('services.noChannels')}</AlertText>
                          <AlertText>{t('services.noChannelsHow')}</AlertText>
                        </InlineAlert>
                      ) : (
                        <>
                          <WrappingTable>
                            <Table
                              caption={t('services.channels', { name })}
                              condensed
                              columns={[
                                { key: 'channel', labelText: t('services.channel') },
                                { key: 'type', labelText: t('services.type') },
                                { key: 'transfer', labelText: t('services.transfer') },
                                { key: 'actions', labelText: t('clients.actions') },
                              ]}
                              data={channelRows(service)}
                              mb="m"
                            />
                          </WrappingTable>
                          {sharedChannels(service)}
                          {/* Also under the table: on a phone the table's transfer column is off to the side. */}
                          {service.channels
                            .filter((c) => c.received_by_other)
                            .map((c) => (
                              <InlineAlert key={c.channel_id} status="neutral" labelText={t('services.receivedByOtherTitle', { channel: localText(c.name, language) || c.channel_id })} mb="m" data-received={c.channel_id}>
                                {t('services.receivedByOtherHint')}
                              </InlineAlert>
                            ))}
                        </>
                      )}
                      <Button variant="secondaryNoBorder" onClick={() => setRemoving({ kind: 'service', id: service.service_id, name })} aria-label={`${t('services.unlinkShort')}: ${name}`}>
                        {t('services.unlinkShort')}
                      </Button>
                    </ExpanderContent>
                  </Expander>
                );
              })}
            </div>
          )
        }
      </LoadState>

      <Heading variant="h2" mb="s">
        {t('services.link')}
      </Heading>
      <Paragraph mb="s">{t('services.linkHint')}</Paragraph>
      <ServiceSearch
        id="services-search"
        label={t('apply.search')}
        pickLabel={t('services.linkShort')}
        disabledIds={claimedIds}
        disabledLabel={t('services.claimedShort')}
        onPick={(service, name) => link(service.id, name)}
      />

      {editing && (
        <TransferDialog
          memberId={memberId}
          channel={editing.channel}
          name={editing.name}
          clients={clients.data?.clients ?? []}
          attributes={attributes.data?.attributes ?? []}
          onSaved={() => {
            setDone(t('services.transferSaved'));
            services.reload();
          }}
          onClose={() => setEditing(null)}
        />
      )}
      <ConfirmDialog
        visible={removing !== null}
        title={removing ? t(removing.kind === 'service' ? 'services.unlink' : 'services.turnOff', { name: removing.name }) : ''}
        text={removing?.kind === 'service' ? t(claimed.get(removing.id)?.claim.status === 'pending' ? 'services.unlinkPendingText' : 'services.unlinkText') : undefined}
        confirmText={removing ? t(removing.kind === 'service' ? 'services.unlinkShort' : 'services.turnOffShort') : ''}
        onConfirm={async () => {
          if (!removing) return;
          if (removing.kind === 'service') {
            await consoleApi.unlinkService(memberId, removing.id);
            setDone(t('services.unlinkedDone', { name: removing.name }));
          } else {
            await consoleApi.removeTransfer(memberId, removing.id);
            setDone(t('services.turnedOff'));
          }
          services.reload();
        }}
        onClose={() => setRemoving(null)}
      />
    </>
  );
}

/** Landing address, accepted attributes and the receiving client of one channel. */
function TransferDialog(props: {
  memberId: string;
  channel: MemberChannel;
  name: string;
  clients: ApiClient[];
  attributes: Attribute[];
  onSaved: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const receivers = props.clients.filter((c) => clientStatus(c) === 'active' && c.scopes.includes('transfer:receive'));
  const [url, setUrl] = useState(props.channel.transfer?.landing_url ?? '');
  const [accepts, setAccepts] = useState<string[]>(props.channel.transfer?.accepts ?? []);
  const [clientId, setClientId] = useState<string | null>(props.channel.transfer?.client_id ?? receivers[0]?.client_id ?? null);
  const [submitted, setSubmitted] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const problems = {
    url: landingUrlOk(url) ? undefined : t('services.landingUrlInvalid'),
    accepts: accepts.length ? undefined : t('services.acceptsMissing'),
    client: clientId ? undefined : t('services.clientMissing'),
  };
  const save = async (event?: FormEvent) => {
    event?.preventDefault();
    setSubmitted(true);
    if (problems.url || problems.accepts || problems.client) return;
    setBusy(true);
    setError(undefined);
    try {
      await consoleApi.setTransfer(props.memberId, props.channel.channel_id, { landing_url: url.trim(), accepts, client_id: clientId! });
      props.onSaved();
      props.onClose();
    } catch (e) {
      // The channel became shared, or the claim is not verified (changed since the list was loaded).
      if (e instanceof ApiError && e.status === 409 && e.type?.endsWith('/channel-shared')) setError(t('services.sharedRefused'));
      else if (e instanceof ApiError && e.status === 409 && e.type?.endsWith('/claim-not-verified')) setError(t('services.pendingRefused'));
      else if (e instanceof ApiError && e.status === 409 && e.type?.endsWith('/channel-held')) setError(t('services.heldRefused'));
      else setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal visible appElementId="root" onEscKeyDown={props.onClose} ariaLabelledBy="transfer-title" scrollable>
      <ModalContent>
        <ModalTitle id="transfer-title">{t('services.formTitle', { name: props.name })}</ModalTitle>
        <Paragraph mb="m">{t('services.formIntro')}</Paragraph>
        <form id="transfer-form" onSubmit={save} noValidate>
          <TextInput
            labelText={t('services.landingUrl')}
            hintText={t('services.landingUrlHint')}
            type="url"
            value={url}
            onChange={(v) => setUrl(String(v ?? ''))}
            status={submitted && problems.url ? 'error' : 'default'}
            statusText={submitted ? problems.url : undefined}
            fullWidth
            mb="m"
          />
          <CheckboxGroup
            labelText={t('services.acceptsLabel')}
            groupHintText={t('services.acceptsHint')}
            groupStatus={submitted && problems.accepts ? 'error' : 'default'}
            groupStatusText={submitted ? problems.accepts : undefined}
            mb="m"
          >
            {props.attributes.map((a) => (
              <Checkbox
                key={a.name}
                checked={accepts.includes(a.name)}
                onClick={({ checkboxState }) => setAccepts((list) => (checkboxState ? [...list, a.name] : list.filter((x) => x !== a.name)))}
                hintText={localText(a.description, language) || undefined}
              >
                {localText(a.title, language) || a.name}
              </Checkbox>
            ))}
          </CheckboxGroup>
          {receivers.length === 0 ? (
            <InlineAlert status="warning" mb="m">
              {t('services.noReceivingClient')}
            </InlineAlert>
          ) : (
            <Dropdown
              labelText={t('services.clientLabel')}
              hintText={t('services.clientHint')}
              value={clientId}
              onChange={(v) => setClientId(v)}
              status={submitted && problems.client ? 'error' : 'default'}
              statusText={submitted ? problems.client : undefined}
              mb="m"
            >
              {receivers.map((c) => (
                <DropdownItem key={c.client_id} value={c.client_id}>
                  {`${c.name} (${c.client_id})`}
                </DropdownItem>
              ))}
            </Dropdown>
          )}
          <ErrorAlert error={error} />
        </form>
      </ModalContent>
      <ModalFooter>
        <Button onClick={() => void save()} disabled={busy || receivers.length === 0}>
          {t('app.save')}
        </Button>
        <Button variant="secondary" onClick={props.onClose}>
          {t('app.cancel')}
        </Button>
      </ModalFooter>
    </Modal>
  );
}
