import { Suspense, lazy, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, LoadingSpinner } from 'suomifi-ui-components';
import QRCode from 'qrcode';
import { currentLanguage, type Language } from '../../shared/i18n.ts';
import { accessToken, startLogin } from '../account.ts';
import { PageTitle } from '../components/PageTitle.tsx';
import { Problem } from '../components/Problem.tsx';
import { asAccount } from '../life-events.ts';
import { loadLogin } from '../storage.ts';
import { formatDate, formatDateTime, loc } from '../text.ts';
import { euros, newKey, type MyOrder, type ProgrammeForMe, type UsableService, type WalletVoucher } from '../vouchers.ts';

const LocationsMap = lazy(() => import('../components/LocationsMap.tsx'));

/**
 * Service vouchers (palvelusetelit): the programmes the person can receive a voucher of (or why
 * not, and what to share to be checked), their wallet (value and units left, valid until), where a
 * voucher can be used with each provider's price and the person's own share (as Palse.fi shows it),
 * booking, their orders with confirm / report a problem, and a short-lived code with a QR code to
 * show at a provider's desk. With this tab's login, as the other account pages.
 */
export default function VouchersPage() {
  const { t, i18n } = useTranslation('citizen');
  const language = currentLanguage(i18n);
  const token = accessToken();
  return (
    <>
      <PageTitle>{t('vouchers.title')}</PageTitle>
      <p className="lead">{t('vouchers.lead')}</p>
      {token ? (
        <Signed token={token} />
      ) : (
        <section aria-labelledby="vouchers-login">
          <h2 id="vouchers-login">{t('vouchers.loginTitle')}</h2>
          <p>{loadLogin() ? t('vouchers.loginAgain') : t('vouchers.loginFirst')}</p>
          <Button onClick={() => void startLogin(language, '/vouchers')}>{t('vouchers.login')}</Button>
        </section>
      )}
    </>
  );
}

function Signed({ token }: { token: string }) {
  const { t } = useTranslation('citizen');
  const [programmes, setProgrammes] = useState<ProgrammeForMe[] | null>(null);
  const [wallet, setWallet] = useState<WalletVoucher[] | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [message, setMessage] = useState('');
  const load = useCallback(async () => {
    const [p, w] = await Promise.all([
      asAccount<{ programmes: ProgrammeForMe[] }>(token, '/voucher-programmes'),
      asAccount<{ vouchers: WalletVoucher[] }>(token, '/vouchers'),
    ]);
    setProgrammes(p.programmes);
    setWallet(w.vouchers);
  }, [token]);
  useEffect(() => {
    load().catch((e: Error) => setError(e));
  }, [load]);
  const done = async (text: string) => {
    setMessage(text);
    await load().catch((e: Error) => setError(e));
  };
  return (
    <>
      <p role="status" className="my__message">
        {message}
      </p>
      {error && <Problem error={error} retry={() => void load().then(() => setError(null), (e: Error) => setError(e))} />}
      {!wallet && !error && <LoadingSpinner status="loading" text={t('app.loading')} variant="small" textAlign="right" />}
      {wallet && (
        <section aria-labelledby="wallet">
          <h2 id="wallet">{t('vouchers.wallet')}</h2>
          {wallet.length === 0 && <p>{t('vouchers.walletEmpty')}</p>}
          <ul className="plain-list">
            {wallet.map((v) => (
              <li key={v.id}>
                <VoucherCard voucher={v} token={token} onDone={done} onError={setError} />
              </li>
            ))}
          </ul>
        </section>
      )}
      {programmes && (
        <section aria-labelledby="programmes">
          <h2 id="programmes">{t('vouchers.programmes')}</h2>
          {programmes.length === 0 && <p>{t('vouchers.noProgrammes')}</p>}
          <ul className="plain-list">
            {programmes.map((p) => (
              <li key={p.programme.id}>
                <ProgrammeCard item={p} token={token} onDone={done} onError={setError} />
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

interface Acts {
  token: string;
  onDone: (message: string) => Promise<void>;
  onError: (error: Error) => void;
}

function ProgrammeCard({ item, token, onDone, onError }: { item: ProgrammeForMe } & Acts) {
  const { t, i18n } = useTranslation('citizen');
  const language = currentLanguage(i18n);
  const [busy, setBusy] = useState(false);
  const p = item.programme;
  const name = loc(p.name, language);
  const receive = async () => {
    setBusy(true);
    try {
      await asAccount(token, '/vouchers', { method: 'POST', body: { programme_id: p.id }, headers: { 'idempotency-key': newKey() } });
      await onDone(t('vouchers.received', { name }));
    } catch (e) {
      onError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <article className={`voucher-card voucher-card--${item.receivable}`} aria-labelledby={`programme-${p.id}`} data-testid="voucher-programme">
      <h3 id={`programme-${p.id}`}>{name}</h3>
      <p>{loc(p.description, language)}</p>
      <dl className="voucher-card__details">
        <dt>{t('vouchers.payer')}</dt>
        <dd>{p.payer.name}</dd>
        <dt>{t('vouchers.value')}</dt>
        <dd>{t('vouchers.valueIs', { value: euros(p.value_per_unit_cents, language), unit: t(`vouchers.unit.${p.unit}`), units: p.units_per_voucher })}</dd>
        <dt>{t('vouchers.forWhom')}</dt>
        <dd>{p.eligibility_explained[language]}</dd>
        <dt>{t('vouchers.youPay')}</dt>
        <dd>{p.co_payment_explained[language]}</dd>
      </dl>
      <p className="voucher-card__reason" data-testid="receivable">
        {item.reason[language]}
      </p>
      {item.receivable === 'can-receive' && (
        <Button disabled={busy} onClick={() => void receive()}>
          {t('vouchers.receive')}
        </Button>
      )}
      {item.receivable === 'share-needed' && (
        <Button variant="secondary" onClick={() => void startLogin(language, '/vouchers', item.to_share)}>
          {t('vouchers.share')}
        </Button>
      )}
    </article>
  );
}

function VoucherCard({ voucher, token, onDone, onError }: { voucher: WalletVoucher } & Acts) {
  const { t, i18n } = useTranslation('citizen');
  const language = currentLanguage(i18n);
  const [open, setOpen] = useState<'none' | 'book' | 'code'>('none');
  const unit = (n: number) => `${n} ${t(n === 1 ? `vouchers.unit.${voucher.programme.unit}` : `vouchers.unitPlural.${voucher.programme.unit}`)}`;
  const active = voucher.status === 'active' && new Date(voucher.valid_until) > new Date();
  return (
    <article className="voucher-card voucher-card--mine" aria-labelledby={`voucher-${voucher.id}`} data-testid="voucher">
      <h3 id={`voucher-${voucher.id}`}>{loc(voucher.programme.name, language)}</h3>
      <dl className="voucher-card__details">
        <dt>{t('vouchers.left')}</dt>
        <dd data-testid="voucher-left">{t('vouchers.leftIs', { left: voucher.units_left, of: voucher.units, unit: t(voucher.units === 1 ? `vouchers.unit.${voucher.programme.unit}` : `vouchers.unitPlural.${voucher.programme.unit}`), value: euros(voucher.value_left_cents, language) })}</dd>
        <dt>{active ? t('vouchers.validUntil') : t('vouchers.ended')}</dt>
        <dd>{active ? formatDate(voucher.valid_until, language) : t(`vouchers.voucherStatus.${voucher.status}`)}</dd>
        <dt>{t('vouchers.payer')}</dt>
        <dd>{voucher.programme.payer.name}</dd>
      </dl>
      {active && (
        <div className="actions">
          <Button aria-expanded={open === 'book'} onClick={() => setOpen(open === 'book' ? 'none' : 'book')}>
            {t('vouchers.whereToUse')}
          </Button>
          <Button variant="secondary" aria-expanded={open === 'code'} onClick={() => setOpen(open === 'code' ? 'none' : 'code')}>
            {t('vouchers.showCode')}
          </Button>
        </div>
      )}
      {open === 'book' && <Booking voucher={voucher} token={token} onDone={async (m) => { setOpen('none'); await onDone(m); }} onError={onError} />}
      {open === 'code' && <RedemptionCode voucherId={voucher.id} token={token} onError={onError} />}
      {voucher.orders.length > 0 && (
        <>
          <h4>{t('vouchers.orders')}</h4>
          <ul className="plain-list">
            {voucher.orders.map((o) => (
              <li key={o.id}>
                <Order order={o} unit={unit} token={token} onDone={onDone} onError={onError} />
              </li>
            ))}
          </ul>
        </>
      )}
    </article>
  );
}

function Booking({ voucher, token, onDone, onError }: { voucher: WalletVoucher } & Acts) {
  const { t, i18n } = useTranslation('citizen');
  const language = currentLanguage(i18n);
  const [services, setServices] = useState<UsableService[] | null>(null);
  const [chosen, setChosen] = useState<string>('');
  const [units, setUnits] = useState(1);
  const [wantedOn, setWantedOn] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    asAccount<{ services: UsableService[] }>(token, `/vouchers/${voucher.id}/where-usable`).then((r) => setServices(r.services), onError);
  }, [token, voucher.id, onError]);
  if (!services) return <LoadingSpinner status="loading" text={t('app.loading')} variant="small" textAlign="right" />;
  // Where the co-payment covers the whole price the voucher pays nothing, and the booking is refused.
  const bookable = services.filter((s) => s.provider && s.price_per_unit_cents !== null && (s.payer_per_unit_cents ?? 0) > 0);
  const choice = bookable.find((s) => `${s.provider!.id}/${s.id}` === chosen);
  const points = services.flatMap((s) =>
    s.channels.flatMap((c) => c.places.map((p, i) => ({ id: `${c.id}-${i}`, latitude: p.latitude, longitude: p.longitude, label: `${loc(s.name, language)} – ${s.provider?.name ?? ''}`, address: [loc(p.street, language), [p.postal_code, loc(p.post_office, language)].filter(Boolean).join(' ')].filter(Boolean).join(', ') }))),
  );
  const book = async () => {
    if (!choice) return;
    setBusy(true);
    try {
      await asAccount(token, `/vouchers/${voucher.id}/orders`, {
        method: 'POST',
        body: { provider_id: choice.provider!.id, service_id: choice.id, units, ...(wantedOn ? { wanted_on: wantedOn } : {}), ...(note.trim() ? { note: note.trim() } : {}) },
        headers: { 'idempotency-key': newKey() },
      });
      await onDone(t('vouchers.booked', { provider: choice.provider!.name }));
    } catch (e) {
      onError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="voucher-booking">
      <p className="hint">{voucher.programme.co_payment_explained[language]}</p>
      {points.length > 0 && (
        <Suspense fallback={null}>
          <LocationsMap points={points} />
        </Suspense>
      )}
      {bookable.length === 0 ? (
        <p>{t('vouchers.nowhere')}</p>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void book();
          }}
        >
          <fieldset>
            <legend>{t('vouchers.chooseProvider')}</legend>
            {bookable.map((s) => {
              const value = `${s.provider!.id}/${s.id}`;
              const place = s.channels.flatMap((c) => c.places)[0];
              return (
                <label key={value} className="voucher-choice">
                  <input type="radio" name={`service-${voucher.id}`} value={value} checked={chosen === value} onChange={() => setChosen(value)} />
                  <span>
                    <strong>{s.provider!.name}</strong>: {loc(s.name, language)}
                    {place && <span className="hint"> · {[loc(place.street, language), loc(place.post_office, language)].filter(Boolean).join(', ')}</span>}
                    <br />
                    {t('vouchers.priceLine', { price: euros(s.price_per_unit_cents!, language), mine: euros(s.person_per_unit_cents!, language), unit: t(`vouchers.unit.${voucher.programme.unit}`) })}
                  </span>
                </label>
              );
            })}
          </fieldset>
          <p>
            <label htmlFor={`units-${voucher.id}`}>{t('vouchers.howMany', { unit: t(`vouchers.unitPlural.${voucher.programme.unit}`) })}</label>
            <br />
            <input id={`units-${voucher.id}`} type="number" min={1} max={Math.max(1, voucher.units_left)} value={units} onChange={(e) => setUnits(Math.max(1, Math.min(voucher.units_left, Number(e.target.value) || 1)))} />
          </p>
          <p>
            <label htmlFor={`wanted-${voucher.id}`}>{t('vouchers.wantedOn')}</label>
            <br />
            <input id={`wanted-${voucher.id}`} type="date" value={wantedOn} onChange={(e) => setWantedOn(e.target.value)} />
          </p>
          <p>
            <label htmlFor={`note-${voucher.id}`}>{t('vouchers.note')}</label>
            <br />
            <textarea id={`note-${voucher.id}`} maxLength={1000} rows={3} value={note} onChange={(e) => setNote(e.target.value)} />
          </p>
          {choice && (
            <p className="voucher-total" data-testid="booking-total">
              {t('vouchers.total', { total: euros(choice.price_per_unit_cents! * units, language), mine: euros(choice.person_per_unit_cents! * units, language) })}
            </p>
          )}
          <Button type="submit" disabled={busy || !choice || voucher.units_left < 1}>
            {t('vouchers.book')}
          </Button>
        </form>
      )}
    </div>
  );
}

function Order({ order, unit, token, onDone, onError }: { order: MyOrder; unit: (n: number) => string } & Acts) {
  const { t, i18n } = useTranslation('citizen');
  const language = currentLanguage(i18n);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const move = async (name: 'cancel' | 'confirm' | 'dispute') => {
    setBusy(true);
    try {
      await asAccount(token, `/voucher-orders/${order.id}/${name}`, { method: 'POST', body: name === 'dispute' ? { note: note.trim() } : {}, ...(name === 'cancel' ? { headers: { 'idempotency-key': newKey() } } : {}) });
      await onDone(t(`vouchers.moved.${name}`));
    } catch (e) {
      onError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className={`voucher-order voucher-order--${order.status}`} data-testid="voucher-order">
      <p>
        <strong>{order.provider.name}</strong>: {loc(order.service.name, language)}, {unit(order.delivered_units ?? order.units)} · <span data-testid="order-status">{t(`vouchers.status.${order.status}`)}</span>
        <br />
        {t('vouchers.youPayOrder', { mine: euros(order.co_payment_per_unit_cents * (order.delivered_units ?? order.units), language) })}
        {order.wanted_on && <> · {t('vouchers.wished', { date: formatDate(order.wanted_on, language) })}</>}
      </p>
      {order.status === 'delivered' && order.confirm_by && <p className="hint">{t('vouchers.confirmBy', { date: formatDate(order.confirm_by, language) })}</p>}
      <div className="actions">
        {order.moves.includes('cancel') && (
          <Button variant="secondary" disabled={busy} onClick={() => void move('cancel')}>
            {t('vouchers.cancel')}
          </Button>
        )}
        {order.moves.includes('confirm') && (
          <Button disabled={busy} onClick={() => void move('confirm')}>
            {t('vouchers.confirm')}
          </Button>
        )}
      </div>
      {order.moves.includes('dispute') && (
        <p>
          <label htmlFor={`dispute-${order.id}`}>{t('vouchers.problem')}</label>
          <br />
          <textarea id={`dispute-${order.id}`} maxLength={1000} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
          <br />
          <Button variant="secondary" disabled={busy || !note.trim()} onClick={() => void move('dispute')}>
            {t('vouchers.dispute')}
          </Button>
        </p>
      )}
      <details>
        <summary>{t('vouchers.history')}</summary>
        <ol className="voucher-history">
          {order.events.map((e, i) => (
            <li key={i}>
              {formatDateTime(e.at, language)}: {t(`vouchers.event.${e.to_status}`)} ({t(`vouchers.by.${e.by}`)}){e.note && <> – <q>{e.note}</q></>}
            </li>
          ))}
        </ol>
      </details>
    </div>
  );
}

function RedemptionCode({ voucherId, token, onError }: { voucherId: string; token: string; onError: (e: Error) => void }) {
  const { t } = useTranslation('citizen');
  const [code, setCode] = useState<{ code: string; expires_at: string; qr: string } | null>(null);
  const [now, setNow] = useState(Date.now());
  const fetchCode = useCallback(async () => {
    try {
      const answer = await asAccount<{ code: string; expires_at: string }>(token, `/vouchers/${voucherId}/redemption-code`, { method: 'POST', body: {} });
      setCode({ ...answer, qr: await QRCode.toDataURL(answer.code, { margin: 2, width: 240 }) });
    } catch (e) {
      onError(e as Error);
    }
  }, [token, voucherId, onError]);
  useEffect(() => {
    void fetchCode();
  }, [fetchCode]);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  if (!code) return <LoadingSpinner status="loading" text={t('app.loading')} variant="small" textAlign="right" />;
  const left = Math.max(0, Math.floor((new Date(code.expires_at).getTime() - now) / 1000));
  return (
    <div className="redemption-code">
      <p>{t('vouchers.codeIntro')}</p>
      <p className="redemption-code__code" data-testid="redemption-code" aria-label={t('vouchers.codeLabel', { code: code.code.split('').join(' ') })}>
        {code.code}
      </p>
      <img src={code.qr} width={240} height={240} alt={t('vouchers.qrAlt', { code: code.code })} />
      {/* Announced once a minute, not every second: a screen reader would otherwise read nothing else. */}
      <p aria-live={left % 60 === 0 ? 'polite' : 'off'}>{left > 0 ? t('vouchers.codeLeft', { minutes: Math.floor(left / 60), seconds: String(left % 60).padStart(2, '0') }) : t('vouchers.codeExpired')}</p>
      <Button variant="secondary" onClick={() => void fetchCode()}>
        {t('vouchers.newCode')}
      </Button>
    </div>
  );
}
