import { act, fireEvent, screen, within } from '@testing-library/react';
import { setToken } from '../auth/token';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeGateway } from '../test/fakes';
import { type Harness, closePage, event, expectBearer, gatewayForPages, live, openPage, settle } from '../test/harness';
import { BUILDS_PAGE } from './builds';

const TOKEN = 'op-s3cret';

const attempt = (number: number, extra: Record<string, unknown> = {}) => ({
  number,
  runId: `B-${number}`,
  dispatchedAt: '2026-12-06T10:00:00Z',
  ...extra,
});

const build = (id: string, state: string, extra: Record<string, unknown> = {}) => ({
  id,
  pipeline: 'checks',
  ref: 'main',
  sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  trigger: 'push',
  requestedBy: 'push',
  state,
  attempts: [],
  outputs: [],
  queuedAt: '2026-12-06T10:00:00Z',
  revision: 1,
  ...extra,
});

const failedBuild = build('01JFAILED', 'failed', {
  revision: 5,
  attempts: [
    attempt(1, { result: 'failed', failureClass: 'build', exitCode: 1, reason: 'exited 1' }),
    attempt(2, {
      result: 'failed',
      failureClass: 'build',
      exitCode: 2,
      reason: 'exited 2',
      runner: { kind: 'github-actions', externalId: '42', url: 'https://github.com/o/r/actions/runs/42', attempt: 2 },
    }),
  ],
});
const queuedBuild = build('01JQUEUED', 'queued', { waiting: { reason: 'held', detail: 'checks is held on main' } });

const held = {
  name: 'checks',
  command: 'sh build/check.sh',
  branchesBuilt: ['main'],
  outputs: [],
  timeout: 'PT30M',
  retry: { limit: 1, on: ['build', 'infra'], backoff: 'PT2S' },
  streak: 3,
  held: true,
  branches: [
    {
      branch: 'main',
      failures: 3,
      held: true,
      severity: 'critical',
      heldSince: '2026-12-06T10:05:00Z',
      unholds: [{ by: 'alice', reason: 'flaky disk', at: '2026-12-05T09:00:00Z', failures: 3 }],
    },
  ],
  lastBuild: failedBuild,
};

const problem = (status: number, title: string, detail: string) => ({
  status,
  body: { type: 'about:blank', title, status, detail, instance: '/x' },
  headers: { 'Content-Type': 'application/problem+json' },
});

function buildsGateway(): FakeGateway {
  return gatewayForPages()
    .on('GET', '/api/v1/pipelines', { status: 200, body: [held] })
    .on('GET', BUILDS_PAGE, { status: 200, body: { builds: [queuedBuild, failedBuild] } });
}

let harness: Harness | undefined;
afterEach(() => closePage(harness));

const row = (id: string) => document.querySelector<HTMLElement>(`[data-build="${id}"]`)!;
const pipelineRow = () => document.querySelector<HTMLElement>('[data-pipeline="checks"]')!;

describe('the builds page', () => {
  it('shows pipelines with their streak and hold, builds with their attempts, and no action to an anonymous visitor', async () => {
    harness = openPage('/builds', buildsGateway());
    await settle();
    const pipeline = pipelineRow();
    expect(within(pipeline).getByRole('heading', { name: 'checks' })).toBeTruthy();
    expect(pipeline.dataset.held).toBe('true');
    expect(within(pipeline).getAllByText('Held').length).toBeGreaterThan(0);
    expect(pipeline.textContent).toContain('3 failed in a row');
    expect(pipeline.textContent).toContain('last unheld by alice');
    expect(pipeline.textContent).toContain('retries build, infra failures up to 1×');
    expect(row('01JQUEUED').textContent).toContain('waiting: checks is held on main');

    const attempts = within(row('01JFAILED')).getByText('2 attempts').closest('details')!;
    const second = attempts.querySelector('[data-attempt="2"]')!;
    expect(second.textContent).toContain('#2');
    expect(second.textContent).toContain('class build');
    expect(second.textContent).toContain('exit 2');
    // on GitHub Actions the attempt links to its workflow run; a retry is that run's next attempt
    const workflowRun = within(second as HTMLElement).getByRole('link', { name: 'workflow run, attempt 2' });
    expect(workflowRun.getAttribute('href')).toBe('https://github.com/o/r/actions/runs/42');
    expect(attempts.querySelector('[data-attempt="1"] a')).toBeNull();

    expect(screen.queryByRole('button', { name: /Build checks now|Retry build|Cancel build|Unhold/ })).toBeNull();
    expect(screen.getByText(/set an operator token to queue, retry, cancel or unhold/)).toBeTruthy();
  });

  it('queues a manual build of the branch chosen, as a JSON body with the bearer header', async () => {
    const gateway = buildsGateway().on('POST', '/api/v1/pipelines/checks/builds', {
      status: 202,
      body: build('01JMANUAL', 'queued', { trigger: 'manual', requestedBy: 'local-admin' }),
    });
    harness = openPage('/builds', gateway, TOKEN);
    await settle();
    fireEvent.change(screen.getByLabelText('Branch to build checks from'), { target: { value: 'main' } });
    fireEvent.click(screen.getByRole('button', { name: 'Build checks now' }));
    await settle();

    const request = expectBearer(harness, 'POST', '/api/v1/pipelines/checks/builds', TOKEN);
    expect(request.headers['Content-Type']).toBe('application/json');
    expect(request.body).toEqual({ ref: 'main' });
    expect(pipelineRow().textContent).toContain('Queued build 01JMANUAL');
    expect(row('01JMANUAL').dataset.state).toBe('queued');
  });

  it('retries a failed build and shows the new one', async () => {
    const gateway = buildsGateway().on('POST', '/api/v1/builds/01JFAILED/retry', {
      status: 202,
      body: build('01JRETRY', 'queued', { trigger: 'retry', retryOf: '01JFAILED' }),
    });
    harness = openPage('/builds', gateway, TOKEN);
    await settle();
    expect(within(row('01JQUEUED')).queryByRole('button', { name: /Retry/ })).toBeNull(); // only an ended build
    fireEvent.click(screen.getByRole('button', { name: 'Retry build 01JFAILED' }));
    await settle();

    const request = expectBearer(harness, 'POST', '/api/v1/builds/01JFAILED/retry', TOKEN);
    expect(request.body).toBeUndefined();
    expect(row('01JRETRY').textContent).toContain('retry of 01JFAILED');
  });

  it('cancels a build that has not ended', async () => {
    const gateway = buildsGateway().on('POST', '/api/v1/builds/01JQUEUED/cancel', {
      status: 200,
      body: { ...queuedBuild, state: 'cancelled', cancelledBy: 'local-admin', waiting: undefined, revision: 2 },
    });
    harness = openPage('/builds', gateway, TOKEN);
    await settle();
    expect(within(row('01JFAILED')).queryByRole('button', { name: /Cancel/ })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel build 01JQUEUED' }));
    await settle();

    expectBearer(harness, 'POST', '/api/v1/builds/01JQUEUED/cancel', TOKEN);
    expect(row('01JQUEUED').dataset.state).toBe('cancelled');
  });

  it('unholds a branch only with a reason, sent as {reason}', async () => {
    const gateway = buildsGateway().on('POST', '/api/v1/pipelines/checks/branches/main/unhold', {
      status: 200,
      body: { ...held.branches[0], held: false, heldSince: undefined, unholds: [{ by: 'local-admin', reason: 'disk replaced', at: '2026-12-06T11:00:00Z', failures: 3 }] },
    });
    harness = openPage('/builds', gateway, TOKEN);
    await settle();
    fireEvent.click(screen.getByRole('button', { name: 'Unhold checks on main' }));
    const reason = screen.getByLabelText('Why may automatic builds run again?') as HTMLInputElement;
    expect(reason.required).toBe(true);
    expect(document.activeElement).toBe(reason);
    fireEvent.change(reason, { target: { value: 'disk replaced' } });
    fireEvent.submit(reason.form!);
    await settle();

    const request = expectBearer(harness, 'POST', '/api/v1/pipelines/checks/branches/main/unhold', TOKEN);
    expect(request.body).toEqual({ reason: 'disk replaced' });
    expect(pipelineRow().dataset.held).toBe('false');
    expect(pipelineRow().textContent).toContain('last unheld by local-admin');
    expect(pipelineRow().textContent).toContain('Unheld checks on main');
    // the button went with the hold: the focus is on what the request said, not lost to the page
    expect(document.activeElement?.textContent).toBe('Unheld checks on main');
    expect(screen.queryByRole('button', { name: 'Unhold checks on main' })).toBeNull();
  });

  it("shows a refusal's problem title and detail next to the button, and keeps the page", async () => {
    const gateway = buildsGateway().on(
      'POST',
      '/api/v1/builds/01JFAILED/retry',
      problem(409, 'Conflict', 'build 01JFAILED is running: only a failed, timed out or cancelled build can be retried'),
    );
    harness = openPage('/builds', gateway, TOKEN);
    await settle();
    fireEvent.click(screen.getByRole('button', { name: 'Retry build 01JFAILED' }));
    await settle();
    const said = within(row('01JFAILED')).getByText(
      'Conflict: build 01JFAILED is running: only a failed, timed out or cancelled build can be retried',
    );
    expect(said.closest('[role="status"]')).toBeTruthy(); // announced, not only shown
    expect(screen.getByRole('heading', { level: 1, name: 'Builds' })).toBeTruthy();
  });

  it('says who may act when the token is refused (403)', async () => {
    const gateway = buildsGateway().on('POST', '/api/v1/builds/01JQUEUED/cancel', problem(403, 'Forbidden', 'this needs the operator role'));
    harness = openPage('/builds', gateway, TOKEN);
    await settle();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel build 01JQUEUED' }));
    await settle();
    const said = within(row('01JQUEUED')).getByText('Your token may not do this: Forbidden: this needs the operator role');
    expect(said.closest('[role="status"]')).toBeTruthy();
  });

  it('moves builds with their events, and reads the streaks again when a hold changes', async () => {
    harness = openPage('/builds', buildsGateway());
    await settle();
    live(harness, 'builds');
    const pipelinesRead = harness.gateway.count('GET', '/api/v1/pipelines');
    const buildsRead = harness.gateway.count('GET', BUILDS_PAGE);

    event(harness, 'builds', 1, 'build.dispatched', { ...queuedBuild, waiting: undefined, state: 'dispatched', revision: 2, attempts: [attempt(1)] });
    event(harness, 'builds', 2, 'build.started', { ...queuedBuild, waiting: undefined, state: 'running', revision: 3, attempts: [attempt(1)] });
    // a late event never moves a build backwards
    event(harness, 'builds', 3, 'build.queued', { ...queuedBuild, waiting: undefined, revision: 1 });
    expect(row('01JQUEUED').dataset.state).toBe('running');
    expect(within(row('01JQUEUED')).getByText('1 attempt')).toBeTruthy();
    expect(harness.gateway.count('GET', '/api/v1/pipelines')).toBe(pipelinesRead);

    harness.gateway.on('GET', '/api/v1/pipelines', { status: 200, body: [{ ...held, held: false, branches: [{ ...held.branches[0], held: false }] }] });
    event(harness, 'builds', 4, 'build.unheld', { pipeline: 'checks', branch: 'main', failures: 3, held: false });
    await settle();
    expect(harness.gateway.count('GET', '/api/v1/pipelines')).toBe(pipelinesRead + 1);
    expect(pipelineRow().dataset.held).toBe('false');
    expect(harness.gateway.count('GET', BUILDS_PAGE)).toBe(buildsRead);
  });

  it("shows an attempt's output when asked, and says when none is kept", async () => {
    const gateway = buildsGateway()
      .on('GET', '/api/v1/builds/01JFAILED/log?attempt=2', { status: 200, text: 'check: build/FAIL exists\n', headers: { 'Content-Type': 'text/plain' } })
      .on('GET', '/api/v1/builds/01JFAILED/log?attempt=1', problem(404, 'Not Found', 'no output is kept here for attempt 1 of build 01JFAILED'));
    harness = openPage('/builds', gateway); // a read: anonymous visitors may
    await settle();
    expect(gateway.count('GET', '/api/v1/builds/01JFAILED/log?attempt=2')).toBe(0); // read only when asked
    fireEvent.click(screen.getByRole('button', { name: 'Show output of attempt 2 of build 01JFAILED' }));
    await settle();
    expect(screen.getByLabelText('output of attempt 2 of build 01JFAILED').textContent).toBe('check: build/FAIL exists\n');
    expect(gateway.last('GET', '/api/v1/builds/01JFAILED/log?attempt=2').headers.Accept).toBe('text/plain');
    fireEvent.click(screen.getByRole('button', { name: 'Show output of attempt 1 of build 01JFAILED' }));
    await settle();
    expect(screen.getByText('no output is kept here for attempt 1 of build 01JFAILED')).toBeTruthy();
  });

  it('reads pipelines and builds again when the builds topic could not be resumed', async () => {
    harness = openPage('/builds', buildsGateway());
    await settle();
    live(harness, 'builds');
    harness.gateway.on('GET', BUILDS_PAGE, { status: 200, body: { builds: [build('01JMISSED', 'running'), queuedBuild, failedBuild] } });
    act(() => harness!.server.last.frame({ type: 'subscribed', topic: 'builds', epoch: 'e2', offset: 0, recovered: false }));
    await settle();
    expect(harness.gateway.count('GET', BUILDS_PAGE)).toBe(2);
    expect(harness.gateway.count('GET', '/api/v1/pipelines')).toBe(2);
    expect(row('01JMISSED').dataset.state).toBe('running');
  });

  it('reads again under a token when anonymous reads are off', async () => {
    const refused = problem(401, 'Unauthorized', 'a token is required');
    const gateway = gatewayForPages().on('GET', '/api/v1/pipelines', refused).on('GET', BUILDS_PAGE, refused);
    harness = openPage('/builds', gateway);
    await settle();
    expect(screen.getAllByText(/Could not load builds: Unauthorized: a token is required \(set a token the gateway accepts/).length).toBe(2);

    gateway.on('GET', '/api/v1/pipelines', { status: 200, body: [held] }).on('GET', BUILDS_PAGE, { status: 200, body: { builds: [failedBuild] } });
    act(() => setToken(TOKEN, false));
    await settle();
    expect(gateway.last('GET', BUILDS_PAGE).headers.Authorization).toBe(`Bearer ${TOKEN}`);
    expect(row('01JFAILED')).toBeTruthy();
    expect(pipelineRow()).toBeTruthy();
  });

  it('says the builds API is not available when it answers 501, and shows nothing made up', async () => {
    const github = problem(501, 'Not Implemented', 'builds run in local mode only; monkeytown.state.backend=github is not built yet');
    harness = openPage('/builds', gatewayForPages().on('GET', '/api/v1/pipelines', github).on('GET', BUILDS_PAGE, github), TOKEN);
    await settle();
    expect(screen.getAllByText(/The builds API is not available: Not Implemented: builds run in local mode only/).length).toBe(2);
    expect(document.querySelector('[data-pipeline], [data-build]')).toBeNull();
    expect(screen.queryByRole('button', { name: /Build .* now/ })).toBeNull();
  });
});
