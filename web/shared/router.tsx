import { createContext, useCallback, useContext, useEffect, useMemo, useState, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from 'react';

/**
 * A small history router shared by the web apps: each has a handful of views, and no router
 * library is needed. An app lives under its `base` (the citizen app at '', the console at
 * '/console'); paths inside the app are written without it. The server answers every path of an
 * app with its page, so a reload or a shared link lands on the view.
 */

export interface Router {
  /** The path inside the app: without the base, no trailing slash, '/' at the root. */
  path: string;
  /** The query string, with its '?' (or ''). */
  search: string;
  /** How many in-app navigations there have been: the first view keeps the browser's own focus start. */
  navigations: number;
  navigate: (to: string, options?: { replace?: boolean }) => void;
  /** The URL of a path inside the app. */
  href: (to: string) => string;
}

const RouterContext = createContext<Router>({ path: '/', search: '', navigations: 0, navigate: () => {}, href: (to) => to });

function hrefIn(base: string, to: string) {
  return base === '' ? to : base + (to === '/' ? '' : to);
}

function locationIn(base: string) {
  const { pathname, search } = window.location;
  const path = base !== '' && pathname.startsWith(base) ? pathname.slice(base.length) : pathname;
  return { path: path.replace(/\/+$/, '') || '/', search };
}

export function RouterProvider({ base = '', scrollToTop = false, children }: { base?: string; /** Scroll to the top on navigate. */ scrollToTop?: boolean; children: ReactNode }) {
  const [location, setLocation] = useState(() => locationIn(base));
  const [navigations, setNavigations] = useState(0);
  const moved = useCallback(() => {
    setLocation(locationIn(base));
    setNavigations((n) => n + 1);
  }, [base]);
  useEffect(() => {
    window.addEventListener('popstate', moved);
    return () => window.removeEventListener('popstate', moved);
  }, [moved]);
  const href = useCallback((to: string) => hrefIn(base, to), [base]);
  const navigate = useCallback(
    (to: string, { replace = false } = {}) => {
      if (replace) window.history.replaceState(null, '', href(to));
      else window.history.pushState(null, '', href(to));
      moved();
      if (scrollToTop) window.scrollTo(0, 0);
    },
    [href, moved, scrollToTop],
  );
  const value = useMemo(() => ({ ...location, navigations, navigate, href }), [location, navigations, navigate, href]);
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

/**
 * The click handler of an in-app link: a plain click navigates in place; a modified or middle
 * click is left to the browser (new tab, new window, download).
 */
export function useFollow(to: string, onClick?: (event: MouseEvent<HTMLAnchorElement>) => void) {
  const { navigate } = useRouter();
  return (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
}

/** An in-app link: a real <a href> (open in new tab, copy), navigating without a reload. */
export function AppLink({ to, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const { href } = useRouter();
  return <a href={href(to)} onClick={useFollow(to, onClick)} {...rest} />;
}
