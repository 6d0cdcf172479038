import { createContext, useCallback, useContext, useEffect, useMemo, useState, type MouseEvent, type ReactNode } from 'react';
import { Link } from 'suomifi-ui-components';

/**
 * A small history router for the console's handful of views under /console. The server answers
 * every /console/* path with the console's page, so a reload or a shared link lands on the view.
 */
export const BASE = '/console';

interface RouterState {
  path: string;
  /** How many in-app navigations there have been: the first view keeps the browser's own focus start. */
  navigations: number;
  navigate: (to: string, options?: { replace?: boolean }) => void;
}
const RouterContext = createContext<RouterState>({ path: '/', navigations: 0, navigate: () => {} });

function currentPath() {
  const path = window.location.pathname.startsWith(BASE) ? window.location.pathname.slice(BASE.length) : window.location.pathname;
  return path === '' ? '/' : path.replace(/\/+$/, '') || '/';
}

export function RouterProvider({ children }: { children: ReactNode }) {
  const [path, setPath] = useState(currentPath);
  const [navigations, setNavigations] = useState(0);
  useEffect(() => {
    const onPop = () => {
      setPath(currentPath());
      setNavigations((n) => n + 1);
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((to: string, options: { replace?: boolean } = {}) => {
    const url = BASE + (to === '/' ? '' : to);
    if (options.replace) window.history.replaceState(null, '', url);
    else window.history.pushState(null, '', url);
    setPath(currentPath());
    setNavigations((n) => n + 1);
    window.scrollTo(0, 0);
  }, []);
  const value = useMemo(() => ({ path, navigations, navigate }), [path, navigations, navigate]);
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

export const useRouter = () => useContext(RouterContext);

/** Matches `/members/:id` against a path; the named parts, or null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith(':')) params[w.slice(1)] = decodeURIComponent(g);
    else if (w !== g) return null;
  }
  return params;
}

/** A link to a console view: a real href (open in a new tab works), followed in place on a plain click. */
export function AppLink({ to, children, className, ...rest }: { to: string; children: ReactNode; className?: string; 'aria-current'?: 'page' | undefined }) {
  const { navigate } = useRouter();
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <Link href={BASE + (to === '/' ? '' : to)} onClick={onClick} className={className} {...rest}>
      {children}
    </Link>
  );
}
