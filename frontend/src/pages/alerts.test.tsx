import { act, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeGateway } from '../test/fakes';
import { type Harness, closePage, event, gatewayForPages, live, openPage, settle } from '../test/harness';

const TOKEN = 'viewer-s3cret';
const ISSUE_URL = 'https://github.com/acme/monkeytown/issues/41';

const siteDown = {
  fingerprint: 'a1b2c3d4e5f60718',
  alertname: 'SiteDown',
  labels: { alertname: 'SiteDown', severity: 'critical', service: 'api-gateway' },
  annotations: {
    summary: 'No api-gateway instance answers; the site is down.',
    description: 'Every probe of /health failed for a minute.',
    runbook: 'docs/operations.md#sitedown',
  },
  generatorUrl: 'http://prometheus:9090/graph?g0.expr=up',
  status: 'firing',
  startsAt: '2026-12-06T22:10:00Z',
  issue: { number: 41, url: ISSUE_URL, openedAt: '2026-12-06T22:11:00Z' },
  updatedAt: '2026-12-06T22:11:00Z',
  history: [{ what: 'issue opened', status: 'firing', startsAt: '2026-12-06T22:10:00Z', at: '2026-12-06T22:11:00Z', issue: 41 }],
  revision: 1,
};

const buildFailure = {
  fingerprint: '0f0f0f0f0f0f0f0f',
  alertname: 'BuildFailure',
  labels: { alertname: 'BuildFailure', severity: 'warning' },
  annotations: { summary: 'site on main failed 2 time(s) in a row.', runbook: 'javascript:alert(1)' },
  status: 'resolved',
  startsAt: '2026-12-06T20:00:00Z',
  endsAt: '2026-12-06T20:30:00Z',
  issue: { number: 40, url: 'https://github.com/acme/monkeytown/issues/40' },
  updatedAt: '2026-12-06T23:00:00Z',
  revision: 3,
};

const summarised = {
  fingerprint: '1234abcd1234abcd',
  alertname: 'TokenRefusals',
  labels: { severity: 'warning', service: 'build-service' },
  annotations: { summary: 'build-service refused 9 calls', runbook: 'docs/operations.md#tokenrefusals' },
  status: 'firing',
  startsAt: '2026-12-06T22:20:00Z',
  summarisedIn: '2026-12-06T22',
  updatedAt: '2026-12-06T22:20:00Z',
  revision: 1,
};

const storm = {
  window: '2026-12-06T22',
  issue: { number: 42, url: 'https://github.com/acme/monkeytown/issues/42' },
  alerts: ['TokenRefusals 1234abcd1234abcd'],
  count: 12,
  revision: 12,
};

// as the service sorts them: most recently changed first, the resolved one included
const list = (alerts: unknown[] = [buildFailure, summarised, siteDown], summaries: unknown[] = [storm]) => ({ alerts, summaries });

function alertsGateway(body = list()): FakeGateway {
  return gatewayForPages().on('GET', '/api/v1/alerts', { status: 200, body });
}

let harness: Harness | undefined;
afterEach(() => closePage(harness));

describe('the alerts page', () => {
  it('shows firing alerts first, then the resolved ones, then the storm summaries, to someone with a token', async () => {
    harness = openPage('/alerts', alertsGateway(), TOKEN);
    await settle();
    expect(harness.gateway.last('GET', '/api/v1/alerts').headers.Authorization).toBe(`Bearer ${TOKEN}`);

    const headings = screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent);
    expect(headings.slice(0, 3)).toEqual(['Firing', 'Recently resolved', 'Alert storms']);
    const rows = [...document.querySelectorAll<HTMLElement>('[data-fingerprint]')];
    expect(rows.map((row) => row.dataset.status)).toEqual(['firing', 'firing', 'resolved']);
    expect(rows.map((row) => within(row).getByRole('heading', { level: 3 }).textContent)).toEqual([
      'TokenRefusals',
      'SiteDown',
      'BuildFailure',
    ]);
    expect(document.querySelector('.alert-count')!.textContent).toBe('2 alerts firing.');

    const firing = document.querySelector<HTMLElement>('[data-fingerprint="a1b2c3d4e5f60718"]')!;
    expect(within(firing).getByText('severity: critical')).toBeTruthy();
    expect(within(firing).getByText('service: api-gateway')).toBeTruthy();
    expect(firing.textContent).toContain('No api-gateway instance answers; the site is down.');
    expect(firing.textContent).toContain('Every probe of /health failed for a minute.');
    expect(firing.querySelector('time')!.getAttribute('dateTime')).toBe('2026-12-06T22:10:00Z');
    const issue = within(firing).getByRole('link', { name: /#41/ }) as HTMLAnchorElement;
    expect(issue.href).toBe(ISSUE_URL);
    expect(issue.rel).toContain('noreferrer');
    // the runbook is a page of the repository the issues live in
    const runbook = within(firing).getByRole('link', { name: /docs\/operations\.md#sitedown/ }) as HTMLAnchorElement;
    expect(runbook.href).toBe('https://github.com/acme/monkeytown/blob/HEAD/docs/operations.md#sitedown');

    // no issue of its own: the hour's summary says where it is listed; its runbook still links through another issue
    const inStorm = document.querySelector<HTMLElement>('[data-fingerprint="1234abcd1234abcd"]')!;
    expect(inStorm.textContent).toContain('listed in the alert-storm summary of 2026-12-06T22:00 UTC');
    expect(within(inStorm).getByText('service: build-service')).toBeTruthy();

    // a runbook that is not a relative docs path is shown as text, never as a link
    const resolved = document.querySelector<HTMLElement>('[data-fingerprint="0f0f0f0f0f0f0f0f"]')!;
    expect(resolved.textContent).toContain('resolved');
    expect([...resolved.querySelectorAll('time')].map((t) => t.getAttribute('dateTime'))).toEqual([
      '2026-12-06T20:00:00Z',
      '2026-12-06T20:30:00Z',
    ]);
    expect(within(resolved).getByText('javascript:alert(1)').closest('a')).toBeNull();
    expect(within(resolved).getByRole('link', { name: /#40/ })).toBeTruthy();

    const summary = document.querySelector<HTMLElement>('[data-window="2026-12-06T22"]')!;
    expect(summary.textContent).toContain('12 alerts summarised');
    expect((within(summary).getByRole('link', { name: /summary issue #42/ }) as HTMLAnchorElement).href).toBe(storm.issue.url);
    expect(summary.textContent).toContain('TokenRefusals 1234abcd1234abcd');

    expect(document.querySelector('button')?.textContent ?? '').not.toMatch(/resolve|silence|close/i);
  });

  it('shows a runbook as text when no issue names the repository (local mode)', async () => {
    const local = { ...siteDown, issue: undefined };
    harness = openPage('/alerts', alertsGateway(list([local], [])), TOKEN);
    await settle();
    const row = document.querySelector<HTMLElement>('[data-fingerprint="a1b2c3d4e5f60718"]')!;
    expect(within(row).getByText('docs/operations.md#sitedown').closest('a')).toBeNull();
    expect(within(row).queryByRole('link')).toBeNull();
    expect(screen.queryByRole('heading', { name: 'Alert storms' })).toBeNull();
  });

  it('reads the list again on alert.* events, a burst costing one read in flight and one after', async () => {
    harness = openPage('/alerts', alertsGateway(list([], [])), TOKEN);
    await settle();
    live(harness, 'alerts');
    expect(harness.gateway.count('GET', '/api/v1/alerts')).toBe(1);
    expect(document.querySelector('.alert-count')!.textContent).toBe('No alert is firing.');

    // hold the next answer so the burst arrives while it is in flight
    let release: () => void = () => {};
    const answered = new Promise<void>((resolve) => (release = resolve));
    const fetchAnswer = harness.gateway.fetch;
    let held = true;
    harness.gateway.on('GET', '/api/v1/alerts', { status: 200, body: list([siteDown], []) });
    const slow = async (input: RequestInfo | URL, init?: RequestInit) => {
      if (held && String(input) === '/api/v1/alerts') {
        held = false;
        await answered;
      }
      return fetchAnswer(input, init);
    };
    (globalThis as { fetch: typeof fetch }).fetch = slow as typeof fetch;

    event(harness, 'alerts', 1, 'alert.raised', { pipeline: 'site', branch: 'main', severity: 'warning' });
    event(harness, 'alerts', 2, 'alert.raised', { pipeline: 'site', branch: 'main', severity: 'critical' });
    event(harness, 'alerts', 3, 'alert.cleared', { pipeline: 'site', branch: 'main' });
    await settle();
    await act(async () => release());
    await settle();
    await settle();
    expect(harness.gateway.count('GET', '/api/v1/alerts')).toBe(3); // the first load, one for the burst, one after it
    expect(document.querySelector('.alert-count')!.textContent).toBe('1 alert firing.');
    expect(harness.gateway.last('GET', '/api/v1/alerts').headers.Authorization).toBe(`Bearer ${TOKEN}`);
    expect(harness.gateway.requests.filter((r) => r.url.includes(TOKEN))).toEqual([]);
    expect(harness.server.last.url).not.toContain(TOKEN);
  });

  it('reads the list again when the alerts topic comes back with recovered: false', async () => {
    harness = openPage('/alerts', alertsGateway(list([], [])), TOKEN);
    await settle();
    harness.gateway.on('GET', '/api/v1/alerts', { status: 200, body: list([siteDown], []) });
    act(() => {
      harness!.server.last.open();
      harness!.server.last.frame({ type: 'subscribed', topic: 'alerts', epoch: 'e1', offset: 0, recovered: false });
    });
    await settle();
    expect(harness.gateway.count('GET', '/api/v1/alerts')).toBe(2);
    expect(document.querySelector('[data-fingerprint="a1b2c3d4e5f60718"]')).toBeTruthy();
  });

  it('asks nothing for an anonymous visitor, on the page or the overview, and says a token is needed', async () => {
    harness = openPage('/alerts', alertsGateway());
    await settle();
    expect(screen.getByText(/Alerts are for people with a token/)).toBeTruthy();
    expect(harness.gateway.requests.filter((r) => r.url.startsWith('/api/v1/alerts'))).toEqual([]);
    closePage(harness);
    harness = openPage('/', alertsGateway());
    await settle();
    expect(harness.gateway.requests.filter((r) => r.url.startsWith('/api/v1/alerts'))).toEqual([]);
    expect(screen.queryByText(/alerts? firing/)).toBeNull();
  });

  it('says the alerts API is not available, with the reason, when the gateway answers 503', async () => {
    harness = openPage(
      '/alerts',
      gatewayForPages().on('GET', '/api/v1/alerts', {
        status: 503,
        body: { title: 'Service Unavailable', status: 503, detail: 'the state store is unavailable; send it again shortly' },
        headers: { 'Content-Type': 'application/problem+json' },
      }),
      TOKEN,
    );
    await settle();
    expect(
      screen.getByText(/The alerts API is not available: Service Unavailable: the state store is unavailable; send it again shortly/),
    ).toBeTruthy();
    expect(document.querySelector('[data-fingerprint]')).toBeNull();
    expect(harness.gateway.requests.filter((r) => r.url.includes(TOKEN))).toEqual([]);
  });

  it('counts the firing alerts on the overview, and counts again after an alert event', async () => {
    const gateway = gatewayForPages().on('GET', '/api/v1/alerts?status=firing', { status: 200, body: list([siteDown], []) });
    harness = openPage('/', gateway, TOKEN);
    await settle();
    live(harness, 'alerts');
    const card = screen.getByRole('link', { name: /alerts? firing/ });
    expect(card.textContent).toBe('1 alert firing');
    expect(card.getAttribute('href')).toBe('/alerts');

    gateway.on('GET', '/api/v1/alerts?status=firing', { status: 200, body: list([siteDown, summarised], []) });
    event(harness, 'alerts', 1, 'alert.raised', { pipeline: 'site', branch: 'main', severity: 'warning' });
    await settle();
    expect(card.textContent).toBe('2 alerts firing');
    expect(gateway.count('GET', '/api/v1/alerts?status=firing')).toBe(2);
  });

  it('shows no count on the overview while the alerts API is not available', async () => {
    harness = openPage('/', gatewayForPages().on('GET', '/api/v1/alerts?status=firing', { status: 404, body: { title: 'Not Found', status: 404 } }), TOKEN);
    await settle();
    expect(screen.getByRole('link', { name: /alerts? firing/ }).textContent).toBe('– alerts firing');
  });
});
