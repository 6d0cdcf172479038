import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { styled } from 'styled-components';
import { Button, Paragraph, Table } from 'suomifi-ui-components';
import { consoleApi, localText, type ClaimItem, type ClaimStatus } from '../../api.ts';
import { AppLink, ConfirmDialog, LoadState, PageHeading, Small, SuccessAlert, WrappingTable, actorText, formatDateTime, useLanguage } from '../../components/common.tsx';
import { useLoad } from '../../../shared/load.ts';
import { Actions } from './Members.tsx';

/** Two buttons that pick which claims are shown; the pressed one is the list below. */
const Switch = styled.div`
  display: flex;
  flex-wrap: wrap;
  gap: 8px;
  margin: 0 0 20px;
`;

const Organisations = styled.ul`
  list-style: none;
  margin: 4px 0 0;
  padding: 0;
`;

type Decision = 'approve' | 'reject' | 'revoke';

/**
 * Members' claims on catalogue services, for the network administrator: the waiting ones to approve
 * or reject (with a reason), the verified ones to revoke. Each shows what to compare: the member and
 * its business ID against the organisations the catalogue names for the service.
 */
export function Claims() {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const [status, setStatus] = useState<ClaimStatus>('pending');
  const claims = useLoad((signal) => consoleApi.claims(status, { signal }), [status]);
  const [dialog, setDialog] = useState<{ decision: Decision; claim: ClaimItem } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  // What was said was said in the language of the moment: another language starts afresh.
  useEffect(() => setDone(null), [language]);

  const serviceName = (c: ClaimItem) => localText(c.service_name, language) || c.service_id;
  const names = (c: ClaimItem) => ({ member: c.member_name, service: serviceName(c) });

  /** The catalogue's organisations of the service, each once, with its business ID or a word that it has none. */
  const organisations = (c: ClaimItem) => {
    const unique = c.service_organisations.filter((o, i, all) => all.findIndex((x) => x.id === o.id) === i);
    if (unique.length === 0) return <Small>{t('claims.noOrganisation')}</Small>;
    return (
      <Organisations aria-label={t('claims.catalogueOrganisations', { service: serviceName(c) })}>
        {unique.map((o) => (
          <li key={o.id}>
            <Small>
              {localText(o.name, language) || o.id}: {o.business_id ?? t('claims.noBusinessId')}
            </Small>
          </li>
        ))}
      </Organisations>
    );
  };

  const verifiedText = (c: ClaimItem) =>
    c.verification === 'business-id'
      ? t('claims.byBusinessId')
      : c.verification === 'creator'
        ? t('claims.byCreator')
        : t('claims.byAdministrator', { who: c.verified_by ? actorText(c.verified_by) : '' });

  const columns = [
    { key: 'member', labelText: t('claims.member') },
    { key: 'service', labelText: t('claims.service') },
    { key: 'when', labelText: status === 'pending' ? t('claims.claimedAt') : t('claims.verifiedAt') },
    { key: 'actions', labelText: t('members.actions') },
  ];

  return (
    <>
      <PageHeading title={t('claims.title')}>{t('claims.title')}</PageHeading>
      <Paragraph mb="s">{t('claims.intro')}</Paragraph>
      <Paragraph mb="m">{t('claims.compare')}</Paragraph>
      <Switch role="group" aria-label={t('claims.show')}>
        {(['pending', 'verified'] as const).map((s) => (
          <Button
            key={s}
            variant={status === s ? 'default' : 'secondary'}
            aria-pressed={status === s}
            onClick={() => {
              setDone(null);
              setStatus(s);
            }}
          >
            {t(s === 'pending' ? 'claims.showPending' : 'claims.showVerified')}
          </Button>
        ))}
      </Switch>
      <SuccessAlert>{done}</SuccessAlert>
      <LoadState loaded={claims}>
        {({ claims: list }) =>
          list.length === 0 ? (
            <Paragraph>{t(status === 'pending' ? 'claims.emptyPending' : 'claims.emptyVerified')}</Paragraph>
          ) : (
            <WrappingTable>
              <Table
                caption={t(status === 'pending' ? 'claims.captionPending' : 'claims.captionVerified')}
                condensed
                columns={columns}
                data={list.map((c) => ({
                  id: `${c.member_id}:${c.service_id}`,
                  member: (
                    <>
                      <AppLink to={`/admin/members/${c.member_id}`}>{c.member_name}</AppLink>
                      <Small>
                        {t('members.businessId')}: {c.member_business_id}
                      </Small>
                    </>
                  ),
                  service: (
                    <>
                      {serviceName(c)}
                      <Small>{t('claims.catalogueSays')}</Small>
                      {organisations(c)}
                    </>
                  ),
                  when:
                    status === 'pending' ? (
                      formatDateTime(c.claimed_at, language)
                    ) : (
                      <>
                        {formatDateTime(c.verified_at, language)}
                        <Small>{verifiedText(c)}</Small>
                      </>
                    ),
                  actions: (
                    <Actions>
                      {(status === 'pending' ? (['approve', 'reject'] as const) : (['revoke'] as const)).map((decision) => (
                        <Button
                          key={decision}
                          variant={decision === 'approve' ? 'default' : 'secondary'}
                          onClick={() => {
                            setDone(null);
                            setDialog({ decision, claim: c });
                          }}
                          aria-label={t(`claims.${decision}Label`, names(c))}
                        >
                          {t(`claims.${decision}`)}
                        </Button>
                      ))}
                    </Actions>
                  ),
                }))}
              />
            </WrappingTable>
          )
        }
      </LoadState>
      <ConfirmDialog
        visible={dialog !== null}
        title={dialog ? t(`claims.${dialog.decision}Title`, names(dialog.claim)) : ''}
        text={dialog ? t(`claims.${dialog.decision}Text`, names(dialog.claim)) : undefined}
        reasonLabel={dialog && dialog.decision !== 'approve' ? t('members.reason') : undefined}
        reasonHint={dialog && dialog.decision !== 'approve' ? t('claims.reasonHint') : undefined}
        confirmText={dialog ? t(`claims.${dialog.decision}`) : ''}
        onConfirm={async (reason) => {
          if (!dialog) return;
          const { decision, claim } = dialog;
          if (decision === 'approve') await consoleApi.approveClaim(claim.member_id, claim.service_id);
          else await consoleApi.rejectClaim(claim.member_id, claim.service_id, reason);
          setDone(t(`claims.${decision}Done`, names(claim)));
          claims.reload();
        }}
        onClose={() => setDialog(null)}
      />
    </>
  );
}
