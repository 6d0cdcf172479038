import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { styled } from 'styled-components';
import { Button, Checkbox, CheckboxGroup, Heading, Paragraph, RadioButton, RadioButtonGroup, SearchInput, TextInput, Textarea } from 'suomifi-ui-components';
import { consoleApi, localText, type LocalText, type VoucherProgramme, type VoucherProgrammeInput } from '../../api.ts';
import { ErrorAlert, useLanguage } from '../../components/common.tsx';
import { NativeSelect } from '../../components/NativeSelect.tsx';
import { ServiceSearch } from '../../components/ServiceSearch.tsx';
import { useLoad } from '../../../shared/load.ts';
import type { Language } from '../../../shared/i18n.ts';
import { dateText, eurosText, parseDate, parseEuros, parseWhole } from '../../voucher-fields.ts';

const LANGUAGES: Language[] = ['fi', 'sv', 'en'];
const UNITS = ['visit', 'hour', 'day', 'session', 'voucher'] as const;
const BANDS = ['0-17', '18-29', '30-44', '45-64', '65+'] as const;
type Condition = VoucherProgrammeInput['eligibility']['all_of'][number];

export const Fieldset = styled.fieldset`
  border: 1px solid #c8cdd0;
  padding: 16px 20px 4px;
  margin: 0 0 24px;
  legend {
    font-weight: 600;
    font-size: 18px;
    padding: 0 6px;
  }
  .hint {
    color: #5f686d;
    font-size: 14px;
    margin: 0 0 16px;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0 24px;
  }
`;

const Picked = styled.ul`
  list-style: none;
  margin: 0 0 16px;
  padding: 0;
  li {
    display: flex;
    gap: 16px;
    align-items: center;
    justify-content: space-between;
    padding: 6px 0;
    border-bottom: 1px solid #e6e9ea;
  }
`;

/** Chosen items with a remove button each; the button names what it removes for assistive technology. */
function PickedList(props: { label: string; empty: string; items: { key: string; text: string }[]; onRemove: (key: string) => void }) {
  const { t } = useTranslation('console');
  return (
    <>
      <Heading variant="h4" as="h4" mb="xs">
        {props.label}
      </Heading>
      {props.items.length === 0 ? (
        <Paragraph mb="s">{props.empty}</Paragraph>
      ) : (
        <Picked aria-label={props.label}>
          {props.items.map((item) => (
            <li key={item.key}>
              <span>{item.text}</span>
              <Button variant="secondaryNoBorder" onClick={() => props.onRemove(item.key)} aria-label={`${t('vouchers.form.remove')}: ${item.text}`}>
                {t('vouchers.form.remove')}
              </Button>
            </li>
          ))}
        </Picked>
      )}
    </>
  );
}

interface Fields {
  name: Record<Language, string>;
  description: Record<Language, string>;
  unit: (typeof UNITS)[number];
  value: string;
  units: string;
  validFrom: string;
  validUntil: string;
  voucherDays: string;
  coPayment: 'none' | 'fixed' | 'percentage';
  coPaymentEuros: string;
  coPaymentPercent: string;
  budget: string;
  perPerson: string;
  period: 'programme' | 'year' | 'month';
  bands: string[];
  adult: 'any' | 'yes' | 'no';
  municipalities: string[];
  /** Conditions the form has no controls for (a questionnaire's result), kept as they are. */
  kept: Condition[];
  services: { id: string; name: LocalText }[];
  classes: string[];
  providers: { id: string; name: string }[];
}

function fieldsOf(p: VoucherProgramme | null): Fields {
  const text = (v: Partial<Record<Language, string>> | undefined) => Object.fromEntries(LANGUAGES.map((l) => [l, v?.[l] ?? ''])) as Record<Language, string>;
  const conditions = p?.eligibility.all_of ?? [];
  const band = conditions.find((c) => c.type === 'age_band');
  const adult = conditions.find((c) => c.type === 'adult');
  const place = conditions.find((c) => c.type === 'municipality');
  return {
    name: text(p?.name),
    description: text(p?.description),
    unit: p?.unit ?? 'visit',
    value: eurosText(p?.value_per_unit_cents),
    units: String(p?.units_per_voucher ?? 1),
    validFrom: dateText(p?.valid_from),
    validUntil: dateText(p?.valid_until),
    voucherDays: String(p?.voucher_validity_days ?? 90),
    coPayment: p?.co_payment.kind ?? 'none',
    coPaymentEuros: p?.co_payment.kind === 'fixed' ? eurosText(p.co_payment.cents_per_unit) : '',
    coPaymentPercent: p?.co_payment.kind === 'percentage' ? String(p.co_payment.percent) : '',
    budget: eurosText(p?.budget_cap_cents),
    perPerson: String(p?.per_person_limit.vouchers ?? 1),
    period: p?.per_person_limit.period ?? 'year',
    bands: band?.type === 'age_band' ? [...band.in] : [],
    adult: adult?.type === 'adult' ? (adult.equals ? 'yes' : 'no') : 'any',
    municipalities: place?.type === 'municipality' ? [...place.in] : [],
    kept: conditions.filter((c) => c.type === 'questionnaire'),
    services: (p?.funds_named.services ?? []).map((s) => ({ id: s.id, name: s.name })),
    classes: p?.funds.service_classes ?? [],
    providers: (p?.funds_named.providers ?? []).map((m) => ({ id: m.id, name: m.name || m.id })),
  };
}

type Errors = Partial<Record<'value' | 'units' | 'validFrom' | 'validUntil' | 'voucherDays' | 'coPaymentEuros' | 'coPaymentPercent' | 'budget' | 'perPerson', string>>;

/** The body the API takes, or the fields that are wrong. Empty optional fields are left unset: a draft may be incomplete. */
function inputOf(f: Fields, t: (key: string, options?: object) => string): { input?: VoucherProgrammeInput; errors: Errors } {
  const errors: Errors = {};
  const texts = (v: Record<Language, string>) => Object.fromEntries(LANGUAGES.filter((l) => v[l].trim()).map((l) => [l, v[l].trim()]));
  const value = parseEuros(f.value);
  if (value === undefined || value < 1) errors.value = t('vouchers.form.invalid.euros');
  const units = parseWhole(f.units, 1, 1000);
  if (units === undefined) errors.units = t('vouchers.form.invalid.whole', { min: 1, max: 1000 });
  const validFrom = f.validFrom.trim() ? parseDate(f.validFrom) : null;
  if (validFrom === undefined) errors.validFrom = t('vouchers.form.invalid.date');
  const validUntil = f.validUntil.trim() ? parseDate(f.validUntil) : null;
  if (validUntil === undefined) errors.validUntil = t('vouchers.form.invalid.date');
  else if (validFrom && validUntil && validUntil < validFrom) errors.validUntil = t('vouchers.form.invalid.order');
  const voucherDays = parseWhole(f.voucherDays, 1, 3660);
  if (voucherDays === undefined) errors.voucherDays = t('vouchers.form.invalid.whole', { min: 1, max: 3660 });
  const coPaymentCents = f.coPayment === 'fixed' ? parseEuros(f.coPaymentEuros) : 0;
  if (coPaymentCents === undefined) errors.coPaymentEuros = t('vouchers.form.invalid.euros');
  const percent = f.coPayment === 'percentage' ? parseWhole(f.coPaymentPercent, 1, 100) : 1;
  if (percent === undefined) errors.coPaymentPercent = t('vouchers.form.invalid.percent');
  const budget = f.budget.trim() ? parseEuros(f.budget) : null;
  if (budget === undefined || budget === 0) errors.budget = t('vouchers.form.invalid.euros');
  const perPerson = parseWhole(f.perPerson, 1, 100);
  if (perPerson === undefined) errors.perPerson = t('vouchers.form.invalid.whole', { min: 1, max: 100 });
  if (Object.keys(errors).length > 0) return { errors };
  const all_of: Condition[] = [];
  if (f.bands.length > 0) all_of.push({ type: 'age_band', in: BANDS.filter((b) => f.bands.includes(b)) });
  if (f.adult !== 'any') all_of.push({ type: 'adult', equals: f.adult === 'yes' });
  if (f.municipalities.length > 0) all_of.push({ type: 'municipality', in: f.municipalities });
  all_of.push(...f.kept);
  return {
    errors,
    input: {
      name: texts(f.name),
      description: texts(f.description),
      unit: f.unit,
      value_per_unit_cents: value!,
      units_per_voucher: units!,
      valid_from: validFrom!,
      valid_until: validUntil!,
      voucher_validity_days: voucherDays!,
      co_payment: f.coPayment === 'fixed' ? { kind: 'fixed', cents_per_unit: coPaymentCents! } : f.coPayment === 'percentage' ? { kind: 'percentage', percent: percent! } : { kind: 'none' },
      budget_cap_cents: budget!,
      per_person_limit: { vouchers: perPerson!, period: f.period },
      eligibility: { all_of },
      funds: { services: f.services.map((s) => s.id), service_classes: f.classes, providers: f.providers.map((p) => p.id) },
    },
  };
}

/** A field's error, shown under it once the form was sent. */
const status = (error: string | undefined) => (error ? { status: 'error' as const, statusText: error } : {});

/**
 * A programme's draft: names and descriptions in three languages, the voucher's value, who pays
 * what, validity, budget and limits, who may receive vouchers (age groups, age of majority, home
 * municipalities) and what it funds (catalogue services, service classes, approved providers).
 */
export function VoucherProgrammeForm(props: { memberId: string; programme: VoucherProgramme | null; onSaved: (saved: VoucherProgramme) => void; onCancel: () => void }) {
  const { t } = useTranslation('console');
  const tt = t as unknown as (key: string, options?: object) => string;
  const language = useLanguage();
  const headingId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  // The form replaces the list: the focus goes to its heading, so a keyboard or screen reader user starts there.
  useEffect(() => headingRef.current?.focus(), []);
  const [f, setF] = useState<Fields>(() => fieldsOf(props.programme));
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const [municipality, setMunicipality] = useState('');
  const [serviceClass, setServiceClass] = useState('');
  const [providerQuery, setProviderQuery] = useState<string | null>(null);
  const set = <K extends keyof Fields>(key: K, value: Fields[K]) => setF((all) => ({ ...all, [key]: value }));
  const municipalities = useLoad((signal) => consoleApi.municipalities(language, { signal }), [language]);
  const classes = useLoad((signal) => consoleApi.serviceClasses(language, { signal }), [language]);
  const providers = useLoad(providerQuery ? (signal) => consoleApi.voucherProviders(props.memberId, providerQuery, { signal }) : null, [providerQuery, props.memberId]);
  const municipalityName = (code: string) => localText(municipalities.data?.items.find((m) => m.code === code)?.name, language) || code;
  const className = (code: string) => `${code} ${localText(classes.data?.items.find((c) => c.code === code)?.name, language)}`.trim();
  const municipalityChoice = municipality || municipalities.data?.items[0]?.code || '';
  const classChoice = serviceClass || classes.data?.items[0]?.code || '';

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const { input, errors: wrong } = inputOf(f, tt);
    setErrors(wrong);
    if (!input) {
      setError(t('vouchers.form.fixErrors'));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const saved = props.programme ? await consoleApi.editVoucherProgramme(props.memberId, props.programme.id, input) : await consoleApi.createVoucherProgramme(props.memberId, input);
      props.onSaved(saved);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const fieldset = (legend: string, hint: string | null, children: ReactNode) => (
    <Fieldset>
      <legend>{legend}</legend>
      {hint && <p className="hint">{hint}</p>}
      {children}
    </Fieldset>
  );

  return (
    <section aria-labelledby={headingId}>
      <Heading variant="h2" id={headingId} mb="m" tabIndex={-1} ref={headingRef}>
        {props.programme ? t('vouchers.editTitle', { name: localText(props.programme.name, language) || t('vouchers.untitled') }) : t('vouchers.newTitle')}
      </Heading>
      <form onSubmit={save} noValidate>
        {fieldset(
          t('vouchers.form.namesLegend'),
          t('vouchers.form.namesHint'),
          <>
            {LANGUAGES.map((l) => (
              <TextInput key={`name-${l}`} labelText={t('vouchers.form.name', { language: t(`vouchers.form.languages.${l}`) })} lang={l} value={f.name[l]} onChange={(v) => set('name', { ...f.name, [l]: String(v ?? '') })} maxLength={200} fullWidth mb="m" />
            ))}
            {LANGUAGES.map((l) => (
              <Textarea key={`description-${l}`} labelText={t('vouchers.form.description', { language: t(`vouchers.form.languages.${l}`) })} lang={l} value={f.description[l]} onChange={(e) => set('description', { ...f.description, [l]: e.target.value })} maxLength={2000} fullWidth mb="m" />
            ))}
          </>,
        )}
        {fieldset(
          t('vouchers.form.valueLegend'),
          null,
          <div className="row">
            <NativeSelect label={t('vouchers.form.unit')} value={f.unit} onChange={(v) => set('unit', v as Fields['unit'])} options={UNITS.map((u) => ({ value: u, label: t(`vouchers.form.units.${u}`) }))} />
            <TextInput labelText={t('vouchers.form.valuePerUnit')} hintText={t('vouchers.form.valuePerUnitHint')} inputMode="decimal" value={f.value} onChange={(v) => set('value', String(v ?? ''))} {...status(errors.value)} mb="m" />
            <TextInput labelText={t('vouchers.form.unitsPerVoucher')} inputMode="numeric" value={f.units} onChange={(v) => set('units', String(v ?? ''))} {...status(errors.units)} mb="m" />
          </div>,
        )}
        {fieldset(
          t('vouchers.form.coPaymentLegend'),
          t('vouchers.form.coPaymentHint'),
          <>
            <RadioButtonGroup labelText={t('vouchers.form.coPaymentLegend')} labelMode="hidden" name="co-payment" value={f.coPayment} onChange={(v) => set('coPayment', v as Fields['coPayment'])} className="co-payment">
              <RadioButton value="none">{t('vouchers.form.coPayment.none')}</RadioButton>
              <RadioButton value="fixed">{t('vouchers.form.coPayment.fixed')}</RadioButton>
              <RadioButton value="percentage">{t('vouchers.form.coPayment.percentage')}</RadioButton>
            </RadioButtonGroup>
            <div style={{ height: 16 }} />
            {f.coPayment === 'fixed' && <TextInput labelText={t('vouchers.form.coPaymentCents')} inputMode="decimal" value={f.coPaymentEuros} onChange={(v) => set('coPaymentEuros', String(v ?? ''))} {...status(errors.coPaymentEuros)} mb="m" />}
            {f.coPayment === 'percentage' && <TextInput labelText={t('vouchers.form.coPaymentPercent')} inputMode="numeric" value={f.coPaymentPercent} onChange={(v) => set('coPaymentPercent', String(v ?? ''))} {...status(errors.coPaymentPercent)} mb="m" />}
          </>,
        )}
        {fieldset(
          t('vouchers.form.validityLegend'),
          null,
          <div className="row">
            <TextInput labelText={t('vouchers.form.validFrom')} hintText={t('vouchers.form.dateHint')} value={f.validFrom} onChange={(v) => set('validFrom', String(v ?? ''))} {...status(errors.validFrom)} mb="m" />
            <TextInput labelText={t('vouchers.form.validUntil')} hintText={t('vouchers.form.dateHint')} value={f.validUntil} onChange={(v) => set('validUntil', String(v ?? ''))} {...status(errors.validUntil)} mb="m" />
            <TextInput labelText={t('vouchers.form.voucherDays')} inputMode="numeric" value={f.voucherDays} onChange={(v) => set('voucherDays', String(v ?? ''))} {...status(errors.voucherDays)} mb="m" />
          </div>,
        )}
        {fieldset(
          t('vouchers.form.limitsLegend'),
          null,
          <div className="row">
            <TextInput labelText={t('vouchers.form.budget')} hintText={t('vouchers.form.budgetHint')} inputMode="decimal" value={f.budget} onChange={(v) => set('budget', String(v ?? ''))} {...status(errors.budget)} mb="m" />
            <TextInput labelText={t('vouchers.form.perPersonVouchers')} inputMode="numeric" value={f.perPerson} onChange={(v) => set('perPerson', String(v ?? ''))} {...status(errors.perPerson)} mb="m" />
            <NativeSelect label={t('vouchers.form.perPersonPeriod')} value={f.period} onChange={(v) => set('period', v as Fields['period'])} options={(['programme', 'year', 'month'] as const).map((p) => ({ value: p, label: t(`vouchers.periodText.${p}`) }))} />
          </div>,
        )}
        {fieldset(
          t('vouchers.form.eligibilityLegend'),
          t('vouchers.form.eligibilityHint'),
          <>
            <CheckboxGroup labelText={t('vouchers.form.ageBands')} groupHintText={t('vouchers.form.ageBandsHint')} mb="m">
              {BANDS.map((b) => (
                <Checkbox key={b} checked={f.bands.includes(b)} onClick={({ checkboxState }) => set('bands', checkboxState ? [...f.bands, b] : f.bands.filter((x) => x !== b))}>
                  {t(`vouchers.form.bands.${b}`)}
                </Checkbox>
              ))}
            </CheckboxGroup>
            <NativeSelect label={t('vouchers.form.adult')} value={f.adult} onChange={(v) => set('adult', v as Fields['adult'])} options={[{ value: 'any', label: t('vouchers.form.adultAny') }, { value: 'yes', label: t('vouchers.form.adultYes') }, { value: 'no', label: t('vouchers.form.adultNo') }]} />
            <PickedList label={t('vouchers.form.municipalities')} empty={t('vouchers.form.municipalitiesEmpty')} items={f.municipalities.map((c) => ({ key: c, text: municipalityName(c) }))} onRemove={(c) => set('municipalities', f.municipalities.filter((x) => x !== c))} />
            <div className="row" style={{ alignItems: 'flex-end' }}>
              <NativeSelect label={t('vouchers.form.municipality')} value={municipalityChoice} onChange={setMunicipality} options={(municipalities.data?.items ?? []).map((m) => ({ value: m.code, label: localText(m.name, language) || m.code }))} />
              <div style={{ marginBottom: 20 }}>
                <Button variant="secondary" disabled={!municipalityChoice || f.municipalities.includes(municipalityChoice)} onClick={() => set('municipalities', [...f.municipalities, municipalityChoice])}>
                  {t('vouchers.form.addMunicipality')}
                </Button>
              </div>
            </div>
            {f.kept.map((c) => c.type === 'questionnaire' && <Paragraph key={`${c.questionnaire}:${c.result}`} mb="m">{t('vouchers.form.questionnaireKept', { questionnaire: c.questionnaire, result: c.result })}</Paragraph>)}
          </>,
        )}
        {fieldset(
          t('vouchers.form.fundsLegend'),
          t('vouchers.form.fundsHint'),
          <>
            <PickedList label={t('vouchers.form.services')} empty={t('vouchers.form.servicesEmpty')} items={f.services.map((s) => ({ key: s.id, text: localText(s.name, language) || s.id }))} onRemove={(id) => set('services', f.services.filter((s) => s.id !== id))} />
            <ServiceSearch
              id="voucher-service-search"
              label={t('vouchers.form.serviceSearch')}
              pickLabel={t('vouchers.form.addService')}
              disabledLabel={t('vouchers.form.added')}
              disabledIds={new Set(f.services.map((s) => s.id))}
              onPick={(service) => setF((all) => ({ ...all, services: all.services.some((s) => s.id === service.id) ? all.services : [...all.services, { id: service.id, name: service.name }] }))}
            />
            <PickedList label={t('vouchers.form.classes')} empty={t('vouchers.form.classesEmpty')} items={f.classes.map((c) => ({ key: c, text: className(c) }))} onRemove={(c) => set('classes', f.classes.filter((x) => x !== c))} />
            <div className="row" style={{ alignItems: 'flex-end' }}>
              <NativeSelect label={t('vouchers.form.classToAdd')} value={classChoice} onChange={setServiceClass} options={(classes.data?.items ?? []).map((c) => ({ value: c.code, label: className(c.code) }))} />
              <div style={{ marginBottom: 20 }}>
                <Button variant="secondary" disabled={!classChoice || f.classes.includes(classChoice)} onClick={() => set('classes', [...f.classes, classChoice])}>
                  {t('vouchers.form.addClass')}
                </Button>
              </div>
            </div>
            <PickedList label={t('vouchers.form.providers')} empty={t('vouchers.form.providersEmpty')} items={f.providers.map((p) => ({ key: p.id, text: p.name }))} onRemove={(id) => set('providers', f.providers.filter((p) => p.id !== id))} />
            <SearchInput
              labelText={t('vouchers.form.providerSearch')}
              clearButtonLabel={t('apply.clear')}
              searchButtonLabel={t('apply.searchButton')}
              onSearch={(v) => setProviderQuery(String(v ?? '').trim() || null)}
              fullWidth
              mb="s"
            />
            <div aria-live="polite">
              {providerQuery && providers.data?.providers.length === 0 && <Paragraph mb="m">{t('vouchers.form.providerNone', { q: providerQuery })}</Paragraph>}
              {providers.data && providers.data.providers.length > 0 && (
                <Picked aria-label={t('vouchers.form.providerSearch')}>
                  {providers.data.providers.map((p) => {
                    const added = f.providers.some((x) => x.id === p.id);
                    return (
                      <li key={p.id}>
                        <span>
                          {p.name} ({p.business_id})
                        </span>
                        <Button variant="secondary" disabled={added} onClick={() => set('providers', [...f.providers, { id: p.id, name: p.name }])} aria-label={`${added ? t('vouchers.form.added') : t('vouchers.form.addProvider')}: ${p.name}`}>
                          {added ? t('vouchers.form.added') : t('vouchers.form.addProvider')}
                        </Button>
                      </li>
                    );
                  })}
                </Picked>
              )}
            </div>
          </>,
        )}
        <ErrorAlert error={error} />
        <div style={{ display: 'flex', gap: 16, marginBottom: 32 }}>
          <Button type="submit" disabled={busy}>
            {t('vouchers.form.save')}
          </Button>
          <Button variant="secondary" onClick={props.onCancel}>
            {t('vouchers.form.cancel')}
          </Button>
        </div>
      </form>
    </section>
  );
}
