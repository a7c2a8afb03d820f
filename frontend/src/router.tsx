// A router of a few lines instead of a library: the dashboard has nine pages, and every kilobyte counts against the
// 200 KB budget. Paths are real URLs (history API), so a deep link survives a reload: the gateway answers them with
// index.html (see routes.json).

import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from 'react';

export type Route =
  | { page: 'overview' }
  | { page: 'agents' }
  | { page: 'agent'; name: string }
  | { page: 'runs' }
  | { page: 'run'; id: string }
  | { page: 'resource'; kind: 'builds' | 'deployments' | 'artifacts' | 'alerts' }
  | { page: 'not-found' };

export function matchRoute(path: string): Route {
  const parts = path.split('/').filter(Boolean).map(safeDecode);
  if (parts.some((part) => part === null)) return { page: 'not-found' };
  const [first, second, ...rest] = parts as string[];
  if (rest.length > 0) return { page: 'not-found' };
  if (!first) return { page: 'overview' };
  if (first === 'agents') return second ? { page: 'agent', name: second } : { page: 'agents' };
  if (first === 'runs') return second ? { page: 'run', id: second } : { page: 'runs' };
  if ((first === 'builds' || first === 'deployments' || first === 'artifacts' || first === 'alerts') && !second) {
    return { page: 'resource', kind: first };
  }
  return { page: 'not-found' };
}

function safeDecode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

const listeners = new Set<() => void>();
/** once a newer build is known, the next navigation loads it: a natural moment, nothing typed is lost */
let fullLoadOnNavigate = false;

export function setFullLoadOnNavigate(on: boolean): void {
  fullLoadOnNavigate = on;
}

export function navigate(to: string): void {
  if (fullLoadOnNavigate) {
    window.location.assign(to);
    return;
  }
  window.history.pushState(null, '', to);
  listeners.forEach((listener) => listener());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

export function usePath(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

export function Link({ to, onClick, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={handle} {...rest} />;
}
