import { useEffect, type ReactNode } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Paragraph } from 'suomifi-ui-components';
import type { Staff } from './api.ts';
import { AppLink, PageHeading } from './components/common.tsx';
import { Layout, type NavItem } from './components/Layout.tsx';
import { matchPath, useRouter } from '../shared/router.tsx';
import { useSession } from './session.tsx';
import { Account } from './views/Account.tsx';
import { Apply } from './views/Apply.tsx';
import { Login } from './views/Login.tsx';
import { Pending } from './views/Pending.tsx';
import { Audit } from './views/admin/Audit.tsx';
import { Bot, SECTIONS, type Section } from './views/chatbot/Bot.tsx';
import { Bots } from './views/chatbot/Bots.tsx';
import { Claims } from './views/admin/Claims.tsx';
import { MemberDetail } from './views/admin/MemberDetail.tsx';
import { Members } from './views/admin/Members.tsx';
import { Overview } from './views/admin/Overview.tsx';
import { Clients } from './views/org/Clients.tsx';
import { LifeEvents } from './views/org/LifeEvents.tsx';
import { OidcClients } from './views/org/OidcClients.tsx';
import { QuestionnaireDetail, Questionnaires } from './views/questionnaires/Questionnaires.tsx';
import { Services } from './views/org/Services.tsx';
import { Staff as StaffView } from './views/org/Staff.tsx';
import { Picture } from './views/org/Picture.tsx';
import { Statistics } from './views/org/Statistics.tsx';
import { Teach } from './views/org/Teach.tsx';
import { VoucherProgrammes } from './views/vouchers/VoucherProgrammes.tsx';
import { VoucherOrders } from './views/vouchers/VoucherOrders.tsx';
import { VoucherReview } from './views/vouchers/VoucherReview.tsx';
import { VoucherStatements } from './views/vouchers/VoucherStatements.tsx';

/** Where a staff member starts: their role's first view, or the pending page. */
export function homeOf(staff: Staff): string {
  if (staff.role === 'network_admin') return '/admin/members';
  if (staff.member?.status !== 'approved') return '/pending';
  return '/org/services';
}

function navFor(staff: Staff | null | undefined, t: TFunction<'console'>): NavItem[] {
  if (!staff) return [];
  if (staff.role === 'network_admin')
    return [
      { to: '/admin/members', label: t('nav.members') },
      { to: '/admin/claims', label: t('nav.claims') },
      { to: '/admin/overview', label: t('nav.overview') },
      { to: '/admin/audit', label: t('nav.audit') },
      { to: '/account', label: t('nav.account') },
    ];
  if (staff.member?.status !== 'approved') return [];
  return [
    { to: '/org/services', label: t('nav.services') },
    { to: '/org/clients', label: t('nav.clients') },
    { to: '/org/oidc-clients', label: t('nav.oidcClients') },
    { to: '/org/life-events', label: t('nav.lifeEvents') },
    { to: '/org/vouchers', label: t('nav.vouchers') },
    { to: '/org/voucher-orders', label: t('nav.voucherOrders') },
    { to: '/org/voucher-review', label: t('nav.voucherReview') },
    { to: '/org/voucher-statements', label: t('nav.voucherStatements') },
    ...(staff.role === 'org_admin' ? [{ to: '/org/staff', label: t('nav.staff') }] : []),
    { to: '/org/questionnaires', label: t('nav.questionnaires') },
    { to: '/org/bots', label: t('nav.bots') },
    { to: '/org/teach', label: t('nav.teach') },
    { to: '/org/statistics', label: t('nav.statistics') },
    { to: '/org/picture', label: t('nav.picture') },
    ...(staff.role === 'org_admin' ? [{ to: '/org/audit', label: t('nav.audit') }] : []),
    { to: '/account', label: t('nav.account') },
  ];
}

function Forbidden() {
  const { t } = useTranslation('console');
  return (
    <>
      <PageHeading title={t('app.forbidden')}>{t('app.forbidden')}</PageHeading>
      <Paragraph mb="m">{t('app.forbiddenHint')}</Paragraph>
      <AppLink to="/">{t('app.backHome')}</AppLink>
    </>
  );
}

function NotFound() {
  const { t } = useTranslation('console');
  return (
    <>
      <PageHeading title={t('app.notFound')}>{t('app.notFound')}</PageHeading>
      <AppLink to="/">{t('app.backHome')}</AppLink>
    </>
  );
}

function Redirect({ to }: { to: string }) {
  const { navigate } = useRouter();
  useEffect(() => navigate(to, { replace: true }), [to, navigate]);
  return null;
}

/** The view for a path, given who is logged in. Role checks here only hide; the server refuses. */
function route(path: string, staff: Staff | null, onLoggedIn: () => void): ReactNode {
  if (!staff) {
    if (path === '/apply') return <Apply />;
    return <Login onLoggedIn={onLoggedIn} />;
  }
  if (path === '/' || path === '/login') return <Redirect to={homeOf(staff)} />;
  if (path === '/apply') return <Apply />;
  if (path === '/account') return <Account />;
  const admin = staff.role === 'network_admin';
  if (path.startsWith('/admin/')) {
    if (!admin) return <Forbidden />;
    if (path === '/admin/members') return <Members />;
    if (path === '/admin/claims') return <Claims />;
    if (path === '/admin/overview') return <Overview />;
    if (path === '/admin/audit') return <Audit />;
    const member = matchPath('/admin/members/:id', path);
    if (member) return <MemberDetail key={member.id} id={member.id!} />;
    return <NotFound />;
  }
  if (path === '/pending') return staff.member && staff.member.status !== 'approved' ? <Pending /> : <Redirect to={homeOf(staff)} />;
  if (path.startsWith('/org/')) {
    const memberId = staff.member?.id;
    if (!memberId) return <Forbidden />;
    if (staff.member?.status !== 'approved') return <Redirect to="/pending" />;
    if (path === '/org/services') return <Services memberId={memberId} />;
    if (path === '/org/clients') return <Clients memberId={memberId} />;
    if (path === '/org/oidc-clients') return <OidcClients memberId={memberId} />;
    if (path === '/org/life-events') return <LifeEvents memberId={memberId} />;
    if (path === '/org/vouchers') return <VoucherProgrammes memberId={memberId} />;
    if (path === '/org/voucher-orders') return <VoucherOrders memberId={memberId} />;
    if (path === '/org/voucher-review') return <VoucherReview memberId={memberId} />;
    if (path === '/org/voucher-statements') return <VoucherStatements memberId={memberId} />;
    if (path === '/org/staff') return staff.role === 'org_admin' ? <StaffView memberId={memberId} /> : <Forbidden />;
    if (path === '/org/teach') return <Teach memberId={memberId} />;
    if (path === '/org/questionnaires') return <Questionnaires memberId={memberId} />;
    const questionnaire = matchPath('/org/questionnaires/:id', path);
    if (questionnaire) return <QuestionnaireDetail key={questionnaire.id} memberId={memberId} id={questionnaire.id!} />;
    if (path === '/org/bots') return <Bots memberId={memberId} />;
    const bot = matchPath('/org/bots/:id', path) ?? matchPath('/org/bots/:id/:section', path);
    if (bot && (!bot.section || SECTIONS.includes(bot.section as Section))) return <Bot key={bot.id} memberId={memberId} id={bot.id!} section={(bot.section as Section | undefined) ?? 'content'} />;
    if (path === '/org/statistics') return <Statistics memberId={memberId} />;
    if (path === '/org/picture') return <Picture memberId={memberId} />;
    if (path === '/org/audit') return staff.role === 'org_admin' ? <Audit /> : <Forbidden />;
  }
  return <NotFound />;
}

export function App() {
  const { t } = useTranslation('console');
  const { staff } = useSession();
  const { path, navigate } = useRouter();
  if (staff === undefined)
    return (
      <Layout nav={[]}>
        <Paragraph role="status">{t('app.loading')}</Paragraph>
      </Layout>
    );
  // After logging in, the view asked for (a bookmark), or the role's first view.
  const onLoggedIn = () => navigate(path === '/' || path === '/login' || path === '/apply' ? '/' : path, { replace: true });
  return <Layout nav={navFor(staff, t)}>{route(path, staff, onLoggedIn)}</Layout>;
}
