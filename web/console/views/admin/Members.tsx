import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { styled } from 'styled-components';
import { Button, Dropdown, DropdownItem, Paragraph, Table } from 'suomifi-ui-components';
import { consoleApi, type Member, type MemberStatus } from '../../api.ts';
import { AppLink, ConfirmDialog, LoadState, PageHeading, Small, StatusChip, SuccessAlert, formatDate, useLanguage } from '../../components/common.tsx';
import { useLoad } from '../../../shared/load.ts';

export const Actions = styled.div`
  display: flex;
  flex-wrap: wrap;
  gap: 8px;
`;

export type Decision = 'approve' | 'reject' | 'suspend' | 'reinstate';
const after: Record<Decision, MemberStatus> = { approve: 'approved', reject: 'rejected', suspend: 'suspended', reinstate: 'approved' };

/** Which decisions a member in a status can get. */
export function decisionsFor(status: MemberStatus): Decision[] {
  switch (status) {
    case 'pending':
      return ['approve', 'reject'];
    case 'approved':
      return ['suspend'];
    case 'suspended':
      return ['reinstate'];
    default:
      return [];
  }
}

/** The dialog for a decision on a member; rejecting and suspending ask for the reason. */
export function DecisionDialog({ decision, member, onDone, onClose }: { decision: Decision | null; member: Member | null; onDone: (text: string) => void; onClose: () => void }) {
  const { t } = useTranslation('console');
  const name = member?.name ?? '';
  const needsReason = decision === 'reject' || decision === 'suspend';
  return (
    <ConfirmDialog
      visible={decision !== null && member !== null}
      title={decision ? t(`members.${decision}Title`, { name }) : ''}
      text={decision === 'approve' ? t('members.approveText') : decision === 'suspend' ? t('members.suspendText') : undefined}
      reasonLabel={needsReason ? t('members.reason') : undefined}
      reasonHint={needsReason ? t('members.reasonHint') : undefined}
      confirmText={decision ? t(`members.${decision}`) : ''}
      onConfirm={async (reason) => {
        if (!decision || !member) return;
        await consoleApi.decide(member.id, decision, needsReason ? reason : undefined);
        onDone(t('members.done', { name, status: t(`status.${after[decision]}`).toLowerCase() }));
      }}
      onClose={onClose}
    />
  );
}

/** Member organisations with a status filter; approve, reject, suspend and reinstate. */
export function Members() {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const [filter, setFilter] = useState<'all' | MemberStatus>('all');
  const members = useLoad((signal) => consoleApi.members(filter === 'all' ? undefined : filter, { signal }), [filter]);
  const [dialog, setDialog] = useState<{ decision: Decision; member: Member } | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const columns = [
    { key: 'name', labelText: t('members.name') },
    { key: 'contact', labelText: t('members.contact') },
    { key: 'status', labelText: t('members.status') },
    { key: 'created', labelText: t('members.applied') },
    { key: 'counts', labelText: t('members.counts'), textAlign: 'right' as const },
    { key: 'actions', labelText: t('members.actions') },
  ] as const;

  return (
    <>
      <PageHeading title={t('members.title')}>{t('members.title')}</PageHeading>
      <Paragraph mb="m">{t('members.intro')}</Paragraph>
      <Dropdown<'all' | MemberStatus> labelText={t('members.filter')} value={filter} onChange={setFilter} mb="m" id="member-filter">
        {(['all', 'pending', 'approved', 'rejected', 'suspended'] as const).map((s) => (
          <DropdownItem key={s} value={s}>
            {s === 'all' ? t('members.all') : t(`status.${s}`)}
          </DropdownItem>
        ))}
      </Dropdown>
      <SuccessAlert>{done}</SuccessAlert>
      <LoadState loaded={members}>
        {({ members: list }) =>
          list.length === 0 ? (
            <Paragraph>{t('members.empty')}</Paragraph>
          ) : (
            <Table
              caption={t('members.caption')}
              condensed
              columns={columns}
              data={list.map((m) => ({
                id: m.id,
                name: (
                  <>
                    <AppLink to={`/admin/members/${m.id}`}>{m.name}</AppLink>
                    <Small>{m.business_id}</Small>
                  </>
                ),
                contact: (
                  <>
                    {m.contact_name}
                    <Small>{m.contact_email}</Small>
                  </>
                ),
                status: <StatusChip status={m.status} />,
                created: formatDate(m.created_at, language),
                counts: (
                  <>
                    {`${m.service_count} / ${m.client_count}`}
                    {m.pending_claims > 0 && (
                      <Small>
                        <AppLink to="/admin/claims">{t('members.pendingClaims', { count: m.pending_claims })}</AppLink>
                      </Small>
                    )}
                  </>
                ),
                actions: (
                  <Actions>
                    {decisionsFor(m.status).map((decision) => (
                      <Button
                        key={decision}
                        variant={decision === 'approve' || decision === 'reinstate' ? 'default' : 'secondary'}
                        onClick={() => {
                          setDone(null);
                          setDialog({ decision, member: m });
                        }}
                        aria-label={`${t(`members.${decision}`)}: ${m.name}`}
                      >
                        {t(`members.${decision}`)}
                      </Button>
                    ))}
                  </Actions>
                ),
              }))}
            />
          )
        }
      </LoadState>
      <DecisionDialog
        decision={dialog?.decision ?? null}
        member={dialog?.member ?? null}
        onDone={(text) => {
          setDone(text);
          members.reload();
        }}
        onClose={() => setDialog(null)}
      />
    </>
  );
}
