import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { TransferTarget } from './types.ts';

/** Who receives what a person sends: a member organisation, the network's operator, or the demo service. */
export type Receiver = TransferTarget['receiver'];

/** The receiver in words: the organisation's registered name with its business ID, the operator, or the demo. */
export function useReceiverText() {
  const { t } = useTranslation('citizen');
  return useCallback(
    (receiver: Receiver): string => {
      if (receiver.kind === 'demo') return t('receiver.demo');
      if (receiver.kind === 'operator') return receiver.organisation ? t('receiver.operatorNamed', { organisation: receiver.organisation }) : t('receiver.operator');
      if (!receiver.organisation) return t('receiver.unknown');
      return receiver.business_id ? t('receiver.member', { organisation: receiver.organisation, businessId: receiver.business_id }) : receiver.organisation;
    },
    [t],
  );
}

/** A small "Demo" mark beside a demo channel's name, wherever targets are listed. */
export function DemoMark() {
  const { t } = useTranslation('citizen');
  return <span className="demo-mark">{t('receiver.demoMark')}</span>;
}

/** The consent question's answer to "who gets this": named plainly, and a demo said to be one. */
export function ReceiverPanel({ receiver }: { receiver: Receiver }) {
  const { t } = useTranslation('citizen');
  const text = useReceiverText();
  const demo = receiver.kind === 'demo';
  return (
    <div className={`receiver panel ${demo ? 'panel--demo' : 'panel--info'}`} data-receiver-kind={receiver.kind}>
      <p className="receiver__name">
        <strong>{t('receiver.label')}:</strong> <span className="receiver__who">{text(receiver)}</span>
      </p>
      <p className="hint">{demo ? t('receiver.demoNote') : receiver.kind === 'operator' ? t('receiver.operatorNote') : t('receiver.memberNote')}</p>
    </div>
  );
}
