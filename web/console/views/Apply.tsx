import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { styled } from 'styled-components';
import { Button, ErrorSummary, Heading, Paragraph, TextInput } from 'suomifi-ui-components';
import { ApiError, consoleApi, type CatalogueService } from '../api.ts';
import { businessIdProblem } from '../business-id.ts';
import { AppLink, ErrorAlert, PageHeading, SuccessAlert, useLanguage } from '../components/common.tsx';
import { ServiceFacts, texts, useMunicipalityNames } from '../components/ServiceFacts.tsx';
import { ServiceSearch } from '../components/ServiceSearch.tsx';

const Section = styled.fieldset`
  border: 0;
  padding: 0;
  margin: 0 0 32px;
  legend {
    padding: 0;
    margin-bottom: 12px;
  }
`;

const Picked = styled.ul`
  list-style: none;
  padding: 0;
  margin: 0 0 16px;
  li {
    display: flex;
    gap: 12px;
    justify-content: space-between;
    align-items: center;
    padding: 6px 0;
  }
`;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
type Field = 'organisation_name' | 'business_id' | 'contact_name' | 'contact_email' | 'admin_password' | 'password_repeat';

/** The public application form: organisation, business ID (checked as typed), contact, services, password. */
export function Apply() {
  const { t } = useTranslation('console');
  const [values, setValues] = useState<Record<Field, string>>({
    organisation_name: '',
    business_id: '',
    contact_name: '',
    contact_email: '',
    admin_password: '',
    password_repeat: '',
  });
  const [submitted, setSubmitted] = useState(false);
  // Each refused submit moves the focus to the error summary, once it is on the page.
  const [refusals, setRefusals] = useState(0);
  const [services, setServices] = useState<{ id: string; name: string; service: CatalogueService }[]>([]);
  const language = useLanguage();
  const municipalityName = useMunicipalityNames();
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<string | null>(null);
  const summaryHeading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (refusals > 0) summaryHeading.current?.focus();
  }, [refusals]);

  const set = (field: Field) => (value: unknown) => setValues((v) => ({ ...v, [field]: String(value ?? '') }));

  const problems = useMemo(() => {
    const found: Partial<Record<Field, string>> = {};
    if (!values.organisation_name.trim()) found.organisation_name = t('apply.nameMissing');
    const idProblem = businessIdProblem(values.business_id);
    if (idProblem === 'empty') found.business_id = t('apply.businessIdEmpty');
    else if (idProblem === 'format') found.business_id = t('apply.businessIdFormat');
    else if (idProblem === 'check_digit') found.business_id = t('apply.businessIdCheck');
    if (!values.contact_name.trim()) found.contact_name = t('apply.contactMissing');
    if (!EMAIL.test(values.contact_email.trim())) found.contact_email = t('apply.emailInvalid');
    if (values.admin_password.length < 12) found.admin_password = t('apply.passwordShort');
    if (values.password_repeat !== values.admin_password) found.password_repeat = t('apply.passwordMismatch');
    return found;
  }, [values, t]);

  // The business ID is checked as it is typed once it has its full length, the rest on sending:
  // a message appearing when a field is left would move the button the user is about to click.
  const shown = (field: Field) => {
    if (submitted) return problems[field];
    if (field === 'business_id' && values.business_id.trim().length >= 9) return problems[field];
    return undefined;
  };
  const businessIdOk = values.business_id.trim().length >= 9 && !problems.business_id;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setError(undefined);
    if (Object.keys(problems).length > 0) {
      setRefusals((n) => n + 1);
      return;
    }
    setBusy(true);
    try {
      await consoleApi.apply({
        organisation_name: values.organisation_name.trim(),
        business_id: values.business_id.trim(),
        contact_name: values.contact_name.trim(),
        contact_email: values.contact_email.trim(),
        services: services.map((s) => s.id),
        admin_password: values.admin_password,
      });
      setSent(values.contact_email.trim());
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const conflictText = (e: ApiError) =>
    e.type?.endsWith('member-exists') ? t('apply.exists') : e.type?.endsWith('staff-exists') ? t('apply.emailInUse') : t('apply.conflict', { detail: e.detail ?? e.title });

  if (sent)
    return (
      <>
        <PageHeading title={t('apply.sentTitle')}>{t('apply.sentTitle')}</PageHeading>
        <SuccessAlert>{t('apply.sent', { email: sent })}</SuccessAlert>
        <Paragraph>
          <AppLink to="/login">{t('apply.toLogin')}</AppLink>
        </Paragraph>
      </>
    );

  const summary = submitted
    ? (Object.entries(problems) as [Field, string][]).map(([field, text]) => ({ text, inputId: `apply-${field}` }))
    : [];
  const input = (field: Field, label: string, extra: Record<string, unknown> = {}) => (
    <TextInput
      id={`apply-${field}`}
      labelText={label}
      value={values[field]}
      onChange={set(field)}
      status={shown(field) ? 'error' : 'default'}
      statusText={shown(field)}
      fullWidth
      mb="m"
      {...extra}
    />
  );

  return (
    <>
      <PageHeading title={t('apply.title')}>{t('apply.title')}</PageHeading>
      <Paragraph mb="l">{t('apply.intro')}</Paragraph>
      {summary.length > 0 && (
        <ErrorSummary headingText={t('apply.errorsHeading', { count: summary.length })} headingVariant="h2" headingRef={summaryHeading} items={summary} mb="l" />
      )}
      <ErrorAlert error={error instanceof ApiError && error.status === 409 ? conflictText(error) : error} />
      <form onSubmit={submit} noValidate>
        <Section>
          <legend>
            <Heading variant="h2">{t('apply.organisation')}</Heading>
          </legend>
          {input('organisation_name', t('apply.organisationName'), { autoComplete: 'organization' })}
          {input('business_id', t('apply.businessId'), {
            hintText: t('apply.businessIdHint'),
            maxLength: 9,
            ...(businessIdOk ? { status: 'success', statusText: t('apply.businessIdOk') } : {}),
          })}
        </Section>
        <Section>
          <legend>
            <Heading variant="h2">{t('apply.contact')}</Heading>
          </legend>
          {input('contact_name', t('apply.contactName'), { autoComplete: 'name' })}
          {input('contact_email', t('apply.contactEmail'), { type: 'email', autoComplete: 'email', hintText: t('apply.contactEmailHint') })}
        </Section>
        <Section>
          <legend>
            <Heading variant="h2">{t('apply.services')}</Heading>
          </legend>
          <Paragraph mb="s">{t('apply.servicesHint')}</Paragraph>
          <ServiceSearch
            id="apply-service-search"
            label={t('apply.search')}
            pickLabel={t('apply.addShort')}
            disabledIds={new Set(services.map((s) => s.id))}
            onPick={(service, name) => setServices((list) => (list.some((s) => s.id === service.id) ? list : [...list, { id: service.id, name, service }]))}
          />
          <Heading variant="h3" as="h3" mb="xs" id="apply-picked">
            {t('apply.selected', { count: services.length })}
          </Heading>
          {services.length === 0 ? (
            <Paragraph mb="m">{t('apply.noneSelected')}</Paragraph>
          ) : (
            <Picked aria-labelledby="apply-picked">
              {services.map((s) => (
                <li key={s.id}>
                  <span>
                    {s.name}
                    <ServiceFacts
                      facts={{
                        nationwide: s.service.nationwide ?? false,
                        municipalities: (s.service.municipalities ?? []).map(municipalityName),
                        organisations: texts(s.service.organizations?.map((o) => o.name), language),
                        serviceClasses: texts(s.service.service_classes?.map((c) => c.name), language),
                      }}
                    />
                  </span>
                  <Button variant="secondaryNoBorder" onClick={() => setServices((list) => list.filter((x) => x.id !== s.id))} aria-label={`${t('apply.removeShort')}: ${s.name}`}>
                    {t('apply.removeShort')}
                  </Button>
                </li>
              ))}
            </Picked>
          )}
        </Section>
        <Section>
          <legend>
            <Heading variant="h2">{t('apply.account')}</Heading>
          </legend>
          {input('admin_password', t('apply.password'), { type: 'password', autoComplete: 'new-password', hintText: t('apply.passwordHint') })}
          {input('password_repeat', t('apply.passwordRepeat'), { type: 'password', autoComplete: 'new-password' })}
        </Section>
        <Button type="submit" disabled={busy}>
          {t('apply.submit')}
        </Button>
      </form>
    </>
  );
}
