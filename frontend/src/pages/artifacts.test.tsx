import { act, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setToken } from '../auth/token';
import { type FakeGateway } from '../test/fakes';
import { type Harness, closePage, event, gatewayForPages, live, openPage, settle } from '../test/harness';

const TOKEN = 'viewer-s3cret';
const MANIFESTS = '/api/v1/artifacts/manifests?repository=builds%2Fsite';

const listing = (bytes: number) => ({
  repositories: [{ name: 'builds/site', artifacts: 2, tags: 3, bytes, lastPushedAt: '2026-12-06T10:00:00Z' }],
  storage: {
    usedBytes: 600 * 1024 * 1024,
    objects: 7,
    quotaBytes: 5 * 1024 * 1024 * 1024,
    quotaUsed: 600 / 5120,
    level: 'warning',
    reclaimableBytes: 2048,
    backend: 'local Git LFS store',
  },
});

const artifacts = (tags: string[]) => ({
  repository: 'builds/site',
  artifacts: [
    {
      repository: 'builds/site',
      digest: 'sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      artifactType: 'application/vnd.monkeytown.build.v1',
      size: 3 * 1024 * 1024,
      tags,
      pushedAt: '2026-12-06T10:00:00Z',
      pushedBy: 'build-service',
      pulls: 4,
    },
  ],
});

function artifactsGateway(): FakeGateway {
  return gatewayForPages()
    .on('GET', '/api/v1/artifacts', { status: 200, body: listing(3 * 1024 * 1024) })
    .on('GET', MANIFESTS, { status: 200, body: artifacts(['main', '01JBUILD']) });
}

let harness: Harness | undefined;
afterEach(() => closePage(harness));

describe('the artifacts page', () => {
  it('tells an anonymous visitor that listings need a token, as the registry keeps anonymous pull off', async () => {
    const gateway = gatewayForPages().on('GET', '/api/v1/artifacts', {
      status: 401,
      body: { title: 'Unauthorized', status: 401, detail: 'authentication required' },
      headers: { 'Content-Type': 'application/problem+json', 'WWW-Authenticate': 'Basic realm="Monkeytown registry"' },
    });
    harness = openPage('/artifacts', gateway);
    await settle();
    expect(screen.getByText(/anonymous pull off, listings included: set a token \(viewer or above\)/)).toBeTruthy();
    expect(screen.queryByText(/Could not load/)).toBeNull();
    expect(document.querySelector('[data-repository], meter')).toBeNull();

    // a token set on the page reads the list again under it
    gateway.on('GET', '/api/v1/artifacts', { status: 200, body: listing(1024) });
    act(() => setToken(TOKEN, false));
    await settle();
    expect(gateway.last('GET', '/api/v1/artifacts').headers.Authorization).toBe(`Bearer ${TOKEN}`);
    expect(document.querySelector('[data-repository="builds/site"]')).toBeTruthy();
  });

  it('shows storage against the quota and the repositories with their sizes, and a repository its tags when opened', async () => {
    harness = openPage('/artifacts', artifactsGateway(), TOKEN);
    await settle();
    const meter = screen.getByLabelText('600 MiB of 5.0 GiB quota used (12%)') as HTMLMeterElement;
    expect(meter.tagName).toBe('METER');
    expect(Number(meter.getAttribute('value'))).toBe(600 * 1024 * 1024);
    expect(Number(meter.getAttribute('max'))).toBe(5 * 1024 * 1024 * 1024);
    expect(document.querySelector('[data-level]')!.textContent).toBe('warning');
    expect(screen.getByText('2.0 KiB (unlinked blobs still stored)')).toBeTruthy();

    const repository = document.querySelector<HTMLElement>('[data-repository="builds/site"]')!;
    expect(repository.textContent).toContain('2 artifacts, 3 tags');
    expect(repository.textContent).toContain('3.0 MiB');
    expect(harness.gateway.count('GET', MANIFESTS)).toBe(0); // read only when opened

    const details = repository.querySelector('details')!;
    details.open = true;
    fireEvent(details, new Event('toggle'));
    await settle();
    expect(harness.gateway.last('GET', MANIFESTS).headers.Authorization).toBe(`Bearer ${TOKEN}`);
    expect(within(details).getByText('main')).toBeTruthy();
    expect(within(details).getByText('01JBUILD')).toBeTruthy();
    expect(details.textContent).toContain('pushed by build-service');
    expect(details.textContent).toContain('4 pulls');
  });

  it('reads the figures again when an artifact event arrives, the open repository included', async () => {
    harness = openPage('/artifacts', artifactsGateway(), TOKEN);
    await settle();
    live(harness, 'artifacts');
    const details = document.querySelector<HTMLElement>('[data-repository="builds/site"] details') as HTMLDetailsElement;
    details.open = true;
    fireEvent(details, new Event('toggle'));
    await settle();

    harness.gateway.on('GET', '/api/v1/artifacts', { status: 200, body: listing(5 * 1024 * 1024) });
    harness.gateway.on('GET', MANIFESTS, { status: 200, body: artifacts(['main', '01JBUILD', 'v1']) });
    event(harness, 'artifacts', 1, 'artifact.pushed', { repository: 'builds/site', digest: 'sha256:bb', tag: 'v1', size: 10 });
    await settle();
    expect(document.querySelector('[data-repository="builds/site"]')!.textContent).toContain('5.0 MiB');
    expect(within(details).getByText('v1')).toBeTruthy();
  });

  it('says the artifacts API is not available when the service is not there', async () => {
    harness = openPage(
      '/artifacts',
      gatewayForPages().on('GET', '/api/v1/artifacts', {
        status: 503,
        body: { title: 'Service Unavailable', status: 503, detail: 'artifact-service is not reachable' },
        headers: { 'Content-Type': 'application/problem+json' },
      }),
      TOKEN,
    );
    await settle();
    expect(screen.getByText(/The artifacts API is not available: Service Unavailable: artifact-service is not reachable/)).toBeTruthy();
    expect(document.querySelector('[data-repository], meter')).toBeNull();
  });
});
