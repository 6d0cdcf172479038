import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { styled } from 'styled-components';
import { Button, Heading, Paragraph, TextInput } from 'suomifi-ui-components';
import { consoleApi, localText, type PricedService, type ProvidedProgramme } from '../../api.ts';
import { ErrorAlert, LoadState, SuccessAlert, useLanguage } from '../../components/common.tsx';
import { StateCard } from '../../components/StateCard.tsx';
import { eurosText, formatEuros, parseEuros } from '../../voucher-fields.ts';
import { useLoad } from '../../../shared/load.ts';

const Card = styled(StateCard)`
  border-left-color: #2a6ebb;
  .service {
    border-top: 1px solid #e6e9eb;
    padding: 12px 0 4px;
  }
  .service form {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-end;
    gap: 8px 16px;
  }
  .shares {
    color: #2a2a2a;
    margin: 4px 0 8px;
  }
  .unpriced {
    color: #a62a0a;
    font-weight: 600;
  }
`;

/** One funded service's price: the input, and the shares at the saved price beside it. */
function PriceRow({ memberId, programme, service, onSaved }: { memberId: string; programme: ProvidedProgramme['programme']; service: PricedService; onSaved: (s: PricedService) => void }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const [text, setText] = useState(eurosText(service.price_per_unit_cents));
  const [invalid, setInvalid] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const name = localText(service.name, language);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const cents = parseEuros(text);
    setInvalid(!cents);
    if (!cents) return;
    setBusy(true);
    setError(undefined);
    try {
      onSaved(await consoleApi.setVoucherPrice(memberId, programme.id, service.service_id, cents));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="service" data-testid="voucher-price">
      <Heading variant="h4" as="h4" mb="xxs">
        {name}
      </Heading>
      <Paragraph className="shares">
        {service.price_per_unit_cents === null ? (
          <span className="unpriced">{t('voucherOrders.prices.notPriced')}</span>
        ) : (
          <>
            {t('voucherOrders.prices.shares')}: {t('voucherOrders.prices.sharesText', { payer: formatEuros(service.payer_per_unit_cents!, language), person: formatEuros(service.person_per_unit_cents!, language) })}
          </>
        )}
      </Paragraph>
      <form onSubmit={save} noValidate>
        <TextInput
          labelText={t('voucherOrders.prices.price', { unit: t(`vouchers.form.units.${programme.unit}`) })}
          value={text}
          onChange={(v) => setText(String(v ?? ''))}
          inputMode="decimal"
          autoComplete="off"
          status={invalid ? 'error' : 'default'}
          statusText={invalid ? t('voucherOrders.prices.invalid') : undefined}
        />
        <Button type="submit" disabled={busy} aria-label={t('voucherOrders.prices.saveLabel', { service: name })}>
          {t('voucherOrders.prices.save')}
        </Button>
      </form>
      <ErrorAlert error={error} />
    </div>
  );
}

/**
 * The open programmes that pay for the member's services, each with its value, who pays what in
 * words, and the member's price per funded service with the payer's and the person's shares beside
 * it, as Palse.fi shows a provider's price.
 */
export function VoucherPrices({ memberId, headingId }: { memberId: string; headingId: string }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const provided = useLoad((signal) => consoleApi.providedProgrammes(memberId, { signal }), [memberId]);
  const [done, setDone] = useState<string | null>(null);
  return (
    <section aria-labelledby={headingId}>
      <Heading variant="h2" id={headingId} mb="s">
        {t('voucherOrders.prices.title')}
      </Heading>
      <Paragraph mb="m">{t('voucherOrders.prices.intro')}</Paragraph>
      <SuccessAlert>{done}</SuccessAlert>
      <LoadState loaded={provided}>
        {({ programmes }) =>
          programmes.length === 0 ? (
            <Paragraph mb="l">{t('voucherOrders.prices.none')}</Paragraph>
          ) : (
            <>
              {programmes.map(({ programme, services }) => (
                <Card key={programme.id} aria-labelledby={`provided-${programme.id}`}>
                  <Heading variant="h3" as="h3" id={`provided-${programme.id}`} mb="xs">
                    {localText(programme.name, language)}
                  </Heading>
                  <Paragraph mb="xs">{t('voucherOrders.prices.payer', { payer: programme.payer.name })}</Paragraph>
                  <Paragraph mb="xs">{t('voucherOrders.prices.value', { value: formatEuros(programme.value_per_unit_cents, language), unit: t(`vouchers.form.units.${programme.unit}`) })}</Paragraph>
                  <Paragraph mb="s">
                    {t('voucherOrders.prices.clientReads')}: <q lang={language}>{programme.co_payment_explained[language]}</q>
                  </Paragraph>
                  {services.map((s) => (
                    <PriceRow
                      key={s.service_id}
                      memberId={memberId}
                      programme={programme}
                      service={s}
                      onSaved={(saved) => {
                        setDone(t('voucherOrders.prices.saved', { service: localText(saved.name, language) }));
                        provided.reload();
                      }}
                    />
                  ))}
                </Card>
              ))}
            </>
          )
        }
      </LoadState>
    </section>
  );
}
