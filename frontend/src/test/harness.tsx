// One dashboard rendered at a path against the fake socket and the fake gateway, as App.test.tsx does, for the page
// tests: the page's own reads must be answered (the fake gateway fails on anything it has no answer for).
import { act, cleanup, render } from '@testing-library/react';
import { vi } from 'vitest';
import { App } from '../App';
import { setToken } from '../auth/token';
import { DashboardContext } from '../context';
import { Dashboard, RUNS_PAGE } from '../live/dashboard';
import { FakeGateway, FakeServer } from './fakes';

export interface Harness {
  server: FakeServer;
  gateway: FakeGateway;
  dashboard: Dashboard;
}

/** A gateway that answers the dashboard's own first reads; the test adds the page's. */
export function gatewayForPages(): FakeGateway {
  return new FakeGateway()
    .on('GET', RUNS_PAGE, { status: 200, body: { runs: [] } })
    .on('GET', '/api/v1/agents', { status: 200, body: { agents: [], problems: [] } })
    .on('GET', '/version.json', { status: 200, body: { build: 'build-1' } });
}

export function openPage(path: string, gateway: FakeGateway, token: string | null = null): Harness {
  vi.stubGlobal('fetch', gateway.fetch);
  setToken(token, false);
  window.history.pushState(null, '', path);
  const server = new FakeServer();
  const dashboard = new Dashboard({ url: 'ws://gateway/ws', createSocket: server.create, backoff: () => 1000, build: 'build-1' });
  dashboard.start();
  render(
    <DashboardContext.Provider value={dashboard}>
      <App />
    </DashboardContext.Provider>,
  );
  return { server, gateway, dashboard };
}

export function closePage(harness: Harness | undefined): void {
  harness?.dashboard.stop();
  cleanup();
  vi.unstubAllGlobals();
  setToken(null, false);
}

/** let the fake gateway's answers (promises) land */
export const settle = () => act(async () => {});

/** the socket open and one topic subscribed at (e1, offset) */
export function live(harness: Harness, topic: string, offset = 0): void {
  act(() => {
    harness.server.last.open();
    harness.server.last.frame({ type: 'subscribed', topic, epoch: 'e1', offset, recovered: true });
  });
}

export function event(harness: Harness, topic: string, offset: number, type: string, data: unknown): void {
  act(() => harness.server.last.frame({ type: 'event', topic, epoch: 'e1', offset, event: type, subject: 'x', data }));
}

/** what every action test checks of the request: the bearer header, and the token in no URL */
export function expectBearer(harness: Harness, method: string, url: string, token: string) {
  const request = harness.gateway.last(method, url);
  if (request.headers.Authorization !== `Bearer ${token}`) throw new Error(`no bearer header on ${method} ${url}: ${JSON.stringify(request.headers)}`);
  const leaked = harness.gateway.requests.filter((r) => r.url.includes(token));
  if (leaked.length > 0) throw new Error(`the token is in a URL: ${leaked.map((r) => r.url).join(', ')}`);
  return request;
}
