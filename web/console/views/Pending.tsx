import { useTranslation } from 'react-i18next';
import { Button, InlineAlert, Paragraph } from 'suomifi-ui-components';
import { consoleApi } from '../api.ts';
import { PageHeading } from '../components/common.tsx';
import { useLoad } from '../../shared/load.ts';
import { useSession } from '../session.tsx';

/** What the staff of a member that is not (or no longer) approved see: where the application stands. */
export function Pending() {
  const { t } = useTranslation('console');
  const { staff, refresh } = useSession();
  const member = staff?.member;
  // The member's own record carries the decision's reason; the session only has the status.
  const detail = useLoad(async (signal) => (member ? consoleApi.member(member.id, { signal }) : null), [member?.id, member?.status]);
  if (!member) return null;
  const reason = detail.data?.decision_reason;
  const vars = { name: member.name, businessId: member.business_id };
  return (
    <>
      <PageHeading title={t('pending.title')}>{t('pending.title')}</PageHeading>
      <InlineAlert status={member.status === 'pending' ? 'neutral' : 'warning'} mb="m" labelText={t(`status.${member.status}`)}>
        {member.status === 'rejected' ? t('pending.rejected', vars) : member.status === 'suspended' ? t('pending.suspended', vars) : t('pending.pending', vars)}
        {reason && member.status !== 'pending' && <> {t('pending.reason', { reason })}</>}
      </InlineAlert>
      <Paragraph mb="m">{t('pending.contact')}</Paragraph>
      <Button variant="secondary" onClick={() => void refresh()}>
        {t('pending.refresh')}
      </Button>
    </>
  );
}
