import { useMemo, useState, type FormEvent } from 'react';
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
import { ConfirmDialog, ErrorAlert, LoadState, PageHeading, SuccessAlert, useLanguage } from '../../components/common.tsx';
import { useLoad } from '../../../shared/load.ts';
import { ServiceSearch } from '../../components/ServiceSearch.tsx';
import { Actions } from '../admin/Members.tsx';
import { clientStatus } from './Clients.tsx';

const Small = styled.span`
  display: block;
  font-size: 14px;
  color: #5f686d;
  word-break: break-all;
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

/** The member's linked services and their channels' session-transfer settings; linking from the catalogue. */
export function Services({ memberId }: { memberId: string }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const services = useLoad((signal) => consoleApi.services(memberId, { signal }), [memberId]);
  const clients = useLoad((signal) => consoleApi.clients(memberId, { signal }), [memberId]);
  const attributes = useLoad((signal) => consoleApi.attributes({ signal }), []);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [editing, setEditing] = useState<{ channel: MemberChannel; name: string } | null>(null);
  const [removing, setRemoving] = useState<{ kind: 'service' | 'transfer'; id: string; name: string } | null>(null);
  const linked = useMemo(() => new Set(services.data?.services.map((s) => s.service_id) ?? []), [services.data]);

  const link = async (serviceId: string, name: string) => {
    setDone(null);
    setError(undefined);
    try {
      await consoleApi.linkService(memberId, serviceId);
      setDone(t('services.linkedDone', { name }));
      services.reload();
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) setError(t('services.taken', { name }));
      else setError(e);
    }
  };

  const channelRows = (service: MemberService) =>
    service.channels.map((c) => {
      const name = localText(c.name, language) || c.channel_id;
      const clientName = c.transfer ? (clients.data?.clients.find((x) => x.client_id === c.transfer!.client_id)?.name ?? c.transfer.client_id) : '';
      const title = (n: string) => attributes.data?.attributes.find((a) => a.name === n)?.title;
      return {
        id: c.channel_id,
        channel: name,
        type: t(`channelTypes.${c.type}`, { defaultValue: c.type }),
        transfer: c.transfer ? (
          <>
            {t('services.transferOnShort')}
            <Small>{c.transfer.landing_url}</Small>
            <Small>
              {t('services.accepts')}: {c.transfer.accepts.map((a) => localText(title(a), language) || a).join(', ')}
            </Small>
            <Small>
              {t('services.client')}: {clientName}
            </Small>
          </>
        ) : (
          t('services.transferOff')
        ),
        actions: (
          <Actions>
            <Button variant="secondary" onClick={() => setEditing({ channel: c, name })} aria-label={`${t(c.transfer ? 'services.editShort' : 'services.setUpShort')}: ${name}`}>
              {t(c.transfer ? 'services.editShort' : 'services.setUpShort')}
            </Button>
            {c.transfer && (
              <Button variant="secondaryNoBorder" onClick={() => setRemoving({ kind: 'transfer', id: c.channel_id, name })} aria-label={`${t('services.turnOffShort')}: ${name}`}>
                {t('services.turnOffShort')}
              </Button>
            )}
          </Actions>
        ),
      };
    });

  return (
    <>
      <PageHeading title={t('services.title')}>{t('services.title')}</PageHeading>
      <Paragraph mb="l">{t('services.intro')}</Paragraph>
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
                  <Expander key={service.service_id} mb="s" defaultOpen={list.length === 1}>
                    <ExpanderTitleButton asHeading="h3">{name}</ExpanderTitleButton>
                    <ExpanderContent>
                      {service.channels.length === 0 ? (
                        <Paragraph mb="m">{t('services.noChannels')}</Paragraph>
                      ) : (
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
      <ServiceSearch
        id="services-search"
        label={t('apply.search')}
        pickLabel={t('services.linkShort')}
        disabledIds={linked}
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
      setError(e);
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
