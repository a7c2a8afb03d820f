// The frame around every page: navigation, the token form, the connection banner and the new-version notice.

import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { setToken } from '../auth/token';
import { useDashboard, useSnapshot, useToken } from '../context';
import { Link, setFullLoadOnNavigate, usePath } from '../router';

const NAV = [
  ['/', 'Overview'],
  ['/agents', 'Agents'],
  ['/runs', 'Runs'],
  ['/builds', 'Builds'],
  ['/deployments', 'Deployments'],
  ['/artifacts', 'Artifacts'],
  ['/alerts', 'Alerts'],
] as const;

export function Header() {
  const path = usePath();
  const current = (href: string) => (href === '/' ? path === '/' : path === href || path.startsWith(href + '/'));
  return (
    <header className="top">
      <div className="brand">
        <Link to="/">Monkeytown</Link>
        <LiveDot />
      </div>
      <nav aria-label="Main">
        <ul>
          {NAV.map(([href, label]) => (
            <li key={href}>
              <Link to={href} aria-current={current(href) ? 'page' : undefined}>
                {label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <TokenControl />
    </header>
  );
}

function LiveDot() {
  const { connection } = useSnapshot();
  const label = connection.kind === 'live' ? 'Live' : connection.kind === 'offline' ? 'Offline' : 'Not live';
  return <span className={`live-dot live-${connection.kind}`}>{label}</span>;
}

export function TokenControl() {
  const token = useToken();
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState('');
  const [remember, setRemember] = useState(true);
  const save = (event: FormEvent) => {
    event.preventDefault();
    setToken(value, remember);
    setValue('');
    setOpen(false);
  };
  if (token && !open) {
    return (
      <div className="token">
        <span className="muted">Operator token set</span>{' '}
        <button type="button" className="link" onClick={() => setToken(null, false)}>
          Forget token
        </button>
      </div>
    );
  }
  if (!open) {
    return (
      <div className="token">
        <button type="button" className="link" onClick={() => setOpen(true)} aria-expanded={false}>
          Token
        </button>
      </div>
    );
  }
  return (
    <form className="token-form" onSubmit={save}>
      <label htmlFor="token-input">Operator token</label>
      <input
        id="token-input"
        type="password"
        autoComplete="off"
        spellCheck={false}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        required
        autoFocus
      />
      <label className="check">
        <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} /> Keep it for this tab
        (until the tab closes)
      </label>
      <div className="row">
        <button type="submit">Use token</button>
        <button type="button" className="secondary" onClick={() => setOpen(false)}>
          Close
        </button>
      </div>
    </form>
  );
}

/** What the connection is doing, said once in a live region; silent while everything is fine. */
export function ConnectionBanner() {
  const dashboard = useDashboard();
  const { connection, lastRecovery } = useSnapshot();
  const [showRecovered, setShowRecovered] = useState(false);
  const resumedAt = connection.kind === 'live' && connection.resumed ? connection.since : null;
  useEffect(() => {
    if (resumedAt === null) return;
    setShowRecovered(true);
    const timer = setTimeout(() => {
      setShowRecovered(false);
      dashboard.store.clearRecovery();
    }, 8000);
    return () => clearTimeout(timer);
  }, [resumedAt, dashboard]);

  let message: ReactNode = null;
  if (connection.kind === 'reconnecting') {
    message = (
      <div className="banner banner-warn" data-connection="lost">
        <strong>Connection lost.</strong> Showing the last known state; reconnecting (attempt {connection.attempt})…{' '}
        <button type="button" className="link" onClick={() => dashboard.connection.reconnectNow()}>
          Reconnect now
        </button>
      </div>
    );
  } else if (connection.kind === 'offline') {
    message = (
      <div className="banner banner-warn" data-connection="offline">
        <strong>You are offline.</strong> Live updates resume when the network is back.
      </div>
    );
  } else if (connection.kind === 'live' && showRecovered) {
    const refetched = lastRecovery?.refetched ?? [];
    message = (
      <div className="banner banner-ok" data-connection="recovered">
        <strong>Reconnected.</strong>{' '}
        {refetched.length > 0 ? `Reloaded ${refetched.join(', ')} from the API.` : 'Missed updates were replayed.'}
      </div>
    );
  }
  return (
    <div role="status" aria-live="polite" className="banner-slot">
      {message}
    </div>
  );
}

export function VersionNotice() {
  const { newVersion } = useSnapshot();
  useEffect(() => {
    if (newVersion) setFullLoadOnNavigate(true);
  }, [newVersion]);
  if (!newVersion) return null;
  return (
    <div className="banner banner-info" role="status">
      A new version of the dashboard is available; it loads on your next page change.{' '}
      <button type="button" className="link" onClick={() => window.location.reload()}>
        Load it now
      </button>
    </div>
  );
}
