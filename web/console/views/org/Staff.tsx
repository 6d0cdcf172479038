import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Heading, Paragraph, RadioButton, RadioButtonGroup, Table, TextInput } from 'suomifi-ui-components';
import { consoleApi } from '../../api.ts';
import { ErrorAlert, LoadState, PageHeading, SuccessAlert } from '../../components/common.tsx';
import { useLoad } from '../../../shared/load.ts';
import { useSession } from '../../session.tsx';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The organisation's console users; an organisation administrator adds developers and administrators. */
export function Staff({ memberId }: { memberId: string }) {
  const { t } = useTranslation('console');
  const { staff: me } = useSession();
  const staff = useLoad((signal) => consoleApi.staff(memberId, { signal }), [memberId]);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<'developer' | 'org_admin'>('developer');
  const [password, setPassword] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const problems = {
    name: name.trim() ? undefined : t('staff.nameMissing'),
    email: EMAIL.test(email.trim()) ? undefined : t('staff.emailInvalid'),
    password: password.length >= 12 ? undefined : t('staff.passwordShort'),
  };

  const add = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (problems.name || problems.email || problems.password) return;
    setBusy(true);
    setError(undefined);
    setDone(null);
    try {
      await consoleApi.addStaff(memberId, { name: name.trim(), email: email.trim(), role, password });
      setDone(t('staff.added', { name: name.trim() }));
      setName('');
      setEmail('');
      setPassword('');
      setRole('developer');
      setSubmitted(false);
      staff.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const field = (key: keyof typeof problems) => ({
    status: submitted && problems[key] ? ('error' as const) : ('default' as const),
    statusText: submitted ? problems[key] : undefined,
  });

  return (
    <>
      <PageHeading title={t('staff.title')}>{t('staff.title')}</PageHeading>
      <Paragraph mb="l">{t('staff.intro')}</Paragraph>
      <SuccessAlert>{done}</SuccessAlert>
      <LoadState loaded={staff}>
        {({ staff: list }) =>
          list.length === 0 ? (
            <Paragraph>{t('staff.empty')}</Paragraph>
          ) : (
            <Table
              caption={t('staff.caption', { name: me?.member?.name ?? '' })}
              mb="xl"
              columns={[
                { key: 'name', labelText: t('staff.name') },
                { key: 'email', labelText: t('staff.email') },
                { key: 'role', labelText: t('staff.role') },
                { key: 'totp', labelText: t('staff.totp') },
              ]}
              data={list.map((s) => ({
                id: s.id,
                name: s.name,
                email: s.email,
                role: t(`roles.${s.role}`),
                totp: s.totp_enabled ? t('app.yes') : t('app.no'),
              }))}
            />
          )
        }
      </LoadState>
      <Heading variant="h2" mb="s">
        {t('staff.add')}
      </Heading>
      <form onSubmit={add} noValidate>
        <TextInput labelText={t('staff.nameLabel')} value={name} onChange={(v) => setName(String(v ?? ''))} autoComplete="off" fullWidth mb="m" {...field('name')} />
        <TextInput labelText={t('staff.emailLabel')} type="email" value={email} onChange={(v) => setEmail(String(v ?? ''))} autoComplete="off" fullWidth mb="m" {...field('email')} />
        <RadioButtonGroup labelText={t('staff.roleLabel')} name="staff-role" value={role} onChange={(v) => setRole(v as 'developer' | 'org_admin')} mb="m">
          <RadioButton value="developer">{t('roles.developer')}</RadioButton>
          <RadioButton value="org_admin">{t('roles.org_admin')}</RadioButton>
        </RadioButtonGroup>
        <TextInput
          labelText={t('staff.passwordLabel')}
          hintText={t('staff.passwordHint')}
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(v) => setPassword(String(v ?? ''))}
          fullWidth
          mb="m"
          {...field('password')}
        />
        <ErrorAlert error={error} />
        <Button type="submit" disabled={busy}>
          {t('staff.addButton')}
        </Button>
      </form>
    </>
  );
}
