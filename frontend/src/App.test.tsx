import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';
import { FIRING_ALERTS } from './api/alerts';
import { setToken } from './auth/token';
import { DashboardContext } from './context';
import { Dashboard, RUNS_PAGE } from './live/dashboard';
import { setFullLoadOnNavigate } from './router';
import { FakeGateway, FakeServer, run } from './test/fakes';

let server: FakeServer;
let gateway: FakeGateway;
let dashboard: Dashboard;

function start(path: string) {
  window.history.pushState(null, '', path);
  dashboard = new Dashboard({ url: 'ws://gateway/ws', createSocket: server.create, backoff: () => 1000, build: 'build-1' });
  dashboard.start();
  render(
    <DashboardContext.Provider value={dashboard}>
      <App />
    </DashboardContext.Provider>,
  );
}

/** let the fake gateway's answers (promises) land */
const settle = () => act(async () => {});

beforeEach(() => {
  server = new FakeServer();
  gateway = new FakeGateway()
    .on('GET', RUNS_PAGE, { status: 200, body: { runs: [run('01A', 'succeeded')] } })
    .on('GET', '/api/v1/agents', { status: 200, body: { agents: [{ name: 'greeter', timeout: 'PT30M' }], problems: [] } })
    .on('GET', '/version.json', { status: 200, body: { build: 'build-1' } })
    .on('GET', FIRING_ALERTS, { status: 200, body: { alerts: [], summaries: [] } });
  vi.stubGlobal('fetch', gateway.fetch);
  setToken(null, false);
});

afterEach(() => {
  dashboard.stop();
  cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
  setFullLoadOnNavigate(false);
});

function liveSocket() {
  server.last.open();
  server.last.frame({ type: 'subscribed', topic: 'runs', epoch: 'e1', offset: 10, recovered: false });
}

describe('the dashboard', () => {
  it('shows runs from the API, then a new run the moment its event arrives, without another request', async () => {
    start('/runs');
    await settle();
    liveSocket();
    await settle();
    expect(screen.getByText('01A')).toBeTruthy();
    const requests = gateway.requests.length;

    act(() =>
      server.last.frame({ type: 'event', topic: 'runs', epoch: 'e1', offset: 11, event: 'run.queued', data: run('01B', 'queued') }),
    );
    const queued = screen.getByRole('heading', { name: 'Queued' }).closest('section')!;
    expect(within(queued).getByText('01B')).toBeTruthy();

    act(() =>
      server.last.frame({ type: 'event', topic: 'runs', epoch: 'e1', offset: 12, event: 'run.started', data: run('01B', 'running') }),
    );
    const active = screen.getByRole('heading', { name: 'Active' }).closest('section')!;
    expect(within(active).getByText('01B')).toBeTruthy();
    expect(gateway.requests.length).toBe(requests);
  });

  it('says when the connection drops, resumes where it stood, and says when it is back', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    start('/');
    await settle();
    liveSocket();
    act(() => server.last.drop());
    expect(screen.getByText('Connection lost.')).toBeTruthy();
    expect(screen.getByText('Not live')).toBeTruthy();

    await act(async () => vi.advanceTimersByTime(1000));
    act(() => server.last.open());
    expect(server.last.sent).toContainEqual({ type: 'subscribe', topic: 'runs', epoch: 'e1', offset: 10 });
    act(() => server.last.frame({ type: 'subscribed', topic: 'runs', epoch: 'e1', offset: 10, recovered: true }));
    // a topic nobody has published on yet answers recovered:false with no position: nothing was missed there
    act(() => server.last.frame({ type: 'subscribed', topic: 'builds', epoch: null, offset: 0, recovered: false }));
    expect(screen.getByText('Reconnected.')).toBeTruthy();
    expect(screen.getByText('Missed updates were replayed.')).toBeTruthy();
    expect(screen.getByText('Live')).toBeTruthy();
  });

  it('refetches over REST when the resume could not be honoured', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    start('/runs');
    await settle();
    liveSocket();
    await settle();
    const before = gateway.count('GET', RUNS_PAGE);
    act(() => server.last.drop());
    await act(async () => vi.advanceTimersByTime(1000));
    act(() => server.last.open());
    gateway.on('GET', RUNS_PAGE, { status: 200, body: { runs: [run('01C', 'running'), run('01A', 'succeeded')] } });
    act(() => server.last.frame({ type: 'subscribed', topic: 'runs', epoch: 'e2', offset: 3, recovered: false }));
    await settle();
    expect(gateway.count('GET', RUNS_PAGE)).toBe(before + 1);
    expect(screen.getByText('01C')).toBeTruthy();
    expect(screen.getByText('Reloaded runs from the API.')).toBeTruthy();
  });

  it('tells an open tab that a new version exists when it reconnects', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    start('/');
    await settle();
    liveSocket();
    gateway.on('GET', '/version.json', { status: 200, body: { build: 'build-2' } });
    act(() => server.last.drop());
    await act(async () => vi.advanceTimersByTime(1000));
    act(() => server.last.open());
    await settle();
    expect(screen.getByText(/A new version of the dashboard is available/)).toBeTruthy();
  });

  it('lets an operator queue a run with the token as a bearer header, and offers the token to the socket as a subprotocol', async () => {
    gateway.on('POST', '/api/v1/agents/greeter/runs', { status: 202, body: run('01Z', 'queued') });
    start('/agents/greeter');
    await settle();
    expect(screen.queryByRole('button', { name: 'Run greeter now' })).toBeNull(); // anonymous: no action offered

    fireEvent.click(screen.getByRole('button', { name: 'Token' }));
    fireEvent.change(screen.getByLabelText('Operator token'), { target: { value: 's3cret' } });
    fireEvent.click(screen.getByRole('button', { name: 'Use token' }));
    await settle();
    expect(server.last.protocols).toEqual(['monkeytown.v1', 'base64url.bearer.monkeytown.czNjcmV0']);
    expect(server.last.url).toBe('ws://gateway/ws');

    fireEvent.click(screen.getByRole('button', { name: 'Run greeter now' }));
    await settle();
    const post = gateway.requests.find((r) => r.method === 'POST')!;
    expect(post.headers.Authorization).toBe('Bearer s3cret');
    expect(gateway.requests.every((r) => !r.url.includes('s3cret'))).toBe(true);
    expect(screen.getByRole('link', { name: 'run 01Z' }).getAttribute('href')).toBe('/runs/01Z');
  });

  it('navigates without reloading and keeps the URL as the page address', async () => {
    start('/');
    await settle();
    fireEvent.click(screen.getByRole('link', { name: 'Agents' }));
    expect(window.location.pathname).toBe('/agents');
    expect(screen.getByRole('heading', { level: 1, name: 'Agents' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Agents' }).getAttribute('aria-current')).toBe('page');
  });
});
