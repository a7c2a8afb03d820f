import { fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeGateway } from '../test/fakes';
import { type Harness, closePage, event, expectBearer, gatewayForPages, live, openPage, settle } from '../test/harness';
import { DEPLOYMENTS_PAGE } from './deployments';

const TOKEN = 'op-s3cret';
const SHA_GOOD = '1111111111111111111111111111111111111111';
const SHA_BAD = '2222222222222222222222222222222222222222';
const SHA_NEW = '3333333333333333333333333333333333333333';

const deployment = (id: string, environment: string, state: string, extra: Record<string, unknown> = {}) => ({
  id,
  environment,
  sha: SHA_GOOD,
  kind: 'deploy',
  state,
  requestedBy: 'deploy-service',
  createdAt: '2026-12-06T10:00:00Z',
  healthy: false,
  revision: 1,
  ...extra,
});

const good = deployment('01JGOOD', 'staging', 'inactive', { healthy: true, finishedAt: '2026-12-06T10:02:00Z', revision: 4 });
const bad = deployment('01JBAD', 'staging', 'failure', {
  sha: SHA_BAD,
  revision: 4,
  reason: 'the health check exited 1',
  startedAt: '2026-12-06T10:01:00Z',
});
const revert = deployment('01JREVERT', 'staging', 'success', { kind: 'revert', revertOf: '01JBAD', lastGood: '01JGOOD', healthy: true, revision: 5 });
const waiting = deployment('01JWAIT', 'production', 'waiting', { requestedBy: 'alice', revision: 1 });

const staging = {
  name: 'staging',
  branch: 'main',
  autoDeploy: true,
  production: false,
  approval: false,
  requires: ['site'],
  onFailure: 'revert',
  current: bad,
  lastGood: good,
  paused: true,
  pause: { reason: 'reverted', by: 'deploy-service', detail: 'reverted 01JBAD', at: '2026-12-06T10:03:00Z', head: SHA_BAD },
  successRate: { days7: 0.5, days30: 0.75 },
};
const production = {
  name: 'production',
  branch: 'main',
  autoDeploy: false,
  production: true,
  approval: true,
  requires: ['site'],
  onFailure: 'alert',
  active: waiting,
  paused: false,
};

const problem = (status: number, title: string, detail: string) => ({
  status,
  body: { type: 'about:blank', title, status, detail, instance: '/x' },
  headers: { 'Content-Type': 'application/problem+json' },
});

function deployGateway(): FakeGateway {
  return gatewayForPages()
    .on('GET', '/api/v1/environments', { status: 200, body: { environments: [staging, production], problems: [] } })
    .on('GET', DEPLOYMENTS_PAGE, { status: 200, body: { deployments: [waiting, revert, bad, good] } });
}

let harness: Harness | undefined;
afterEach(() => closePage(harness));

const environmentRow = (name: string) => document.querySelector<HTMLElement>(`[data-environment="${name}"]`)!;
const row = (id: string) => document.querySelector<HTMLElement>(`[data-deployment="${id}"]`)!;

describe('the deployments page', () => {
  it('shows environments with current, last good, success rate, pause and reverts, and no action to an anonymous visitor', async () => {
    harness = openPage('/deployments', deployGateway());
    await settle();
    const stagingRow = environmentRow('staging');
    const facts = stagingRow.querySelector('dl')!.textContent!;
    expect(facts).toContain('Current2222222'); // the failed deployment still runs there
    expect(facts).toContain('Last good1111111');
    expect(facts).toContain('7 days: 50% · 30 days: 75%');
    expect(facts).toContain('reverted by deploy-service');
    expect(facts).toContain('01JREVERT to 1111111 after 01JBAD');
    expect(stagingRow.dataset.paused).toBe('true');
    expect(environmentRow('production').textContent).toContain('7 days: nothing ended');
    expect(within(environmentRow('production')).getByText('Production')).toBeTruthy();
    expect(row('01JREVERT').dataset.kind).toBe('revert');
    expect(row('01JREVERT').textContent).toContain('reverts 01JBAD');
    expect(row('01JBAD').textContent).toContain('the health check exited 1');

    expect(screen.queryByRole('button', { name: /Approve|Reject|Revert|Pause|Resume|Deploy/ })).toBeNull();
    expect(screen.queryByRole('form')).toBeNull();
  });

  it('approves a waiting deployment with the reason the API requires', async () => {
    const gateway = deployGateway().on('POST', '/api/v1/deployments/01JWAIT/approve', {
      status: 200,
      body: { ...waiting, state: 'in_progress', approval: { approved: true, by: 'local-admin', reason: 'release 12', at: '2026-12-06T11:00:00Z' }, revision: 2 },
    });
    harness = openPage('/deployments', gateway, TOKEN);
    await settle();
    expect(within(row('01JREVERT')).queryByRole('button', { name: /Approve/ })).toBeNull(); // only a waiting one
    fireEvent.click(screen.getByRole('button', { name: 'Approve deployment 01JWAIT' }));
    const reason = screen.getByLabelText('Why approve it?') as HTMLInputElement;
    expect(reason.required).toBe(true);
    fireEvent.change(reason, { target: { value: 'release 12' } });
    fireEvent.submit(reason.form!);
    await settle();

    const request = expectBearer(harness, 'POST', '/api/v1/deployments/01JWAIT/approve', TOKEN);
    expect(request.headers['Content-Type']).toBe('application/json');
    expect(request.body).toEqual({ reason: 'release 12' });
    expect(row('01JWAIT').dataset.state).toBe('in_progress');
    expect(row('01JWAIT').textContent).toContain('approved by local-admin: release 12');
    expect(screen.queryByRole('button', { name: 'Approve deployment 01JWAIT' })).toBeNull();
  });

  it("rejects a waiting deployment, and shows the service's refusal when it is no longer waiting", async () => {
    const gateway = deployGateway().on('POST', '/api/v1/deployments/01JWAIT/reject', problem(409, 'Conflict', 'deployment 01JWAIT is inactive, not waiting'));
    harness = openPage('/deployments', gateway, TOKEN);
    await settle();
    fireEvent.click(screen.getByRole('button', { name: 'Reject deployment 01JWAIT' }));
    const reason = screen.getByLabelText('Why reject it?');
    fireEvent.change(reason, { target: { value: 'wrong commit' } });
    fireEvent.submit((reason as HTMLInputElement).form!);
    await settle();

    expect(expectBearer(harness, 'POST', '/api/v1/deployments/01JWAIT/reject', TOKEN).body).toEqual({ reason: 'wrong commit' });
    const said = within(row('01JWAIT')).getByText('Conflict: deployment 01JWAIT is inactive, not waiting');
    expect(said.closest('[role="status"]')).toBeTruthy();
  });

  it('reverts to the last good deployment after a confirmation, naming it in the body', async () => {
    const queued = deployment('01JREV2', 'staging', 'queued', { kind: 'revert', revertOf: '01JBAD', lastGood: '01JGOOD', requestedBy: 'local-admin' });
    const gateway = deployGateway().on('POST', '/api/v1/environments/staging/revert', { status: 202, body: queued });
    harness = openPage('/deployments', gateway, TOKEN);
    await settle();
    fireEvent.click(screen.getByRole('button', { name: 'Revert staging to last good' }));
    expect(screen.getByText('Deploy 1111111 (deployment 01JGOOD) to staging again and pause automatic deploys?')).toBeTruthy();
    expect(harness.gateway.count('POST', '/api/v1/environments/staging/revert')).toBe(0); // nothing before the confirmation
    fireEvent.click(screen.getByRole('button', { name: 'Revert' }));
    await settle();

    expect(expectBearer(harness, 'POST', '/api/v1/environments/staging/revert', TOKEN).body).toEqual({ to: '01JGOOD' });
    expect(row('01JREV2').dataset.kind).toBe('revert');
    expect(environmentRow('staging').textContent).toContain('Queued revert 01JREV2');
  });

  it('deploys a commit as {sha} or a build as {buildId}', async () => {
    const gateway = deployGateway()
      .on('POST', '/api/v1/environments/production/deployments', {
        status: 202,
        body: deployment('01JNEW', 'production', 'waiting', { sha: SHA_NEW, requestedBy: 'local-admin' }),
      })
      .on('POST', '/api/v1/environments/staging/deployments', problem(409, 'Conflict', 'staging is paused (reverted): resume it first'));
    harness = openPage('/deployments', gateway, TOKEN);
    await settle();
    const form = screen.getByRole('form', { name: 'Deploy to production' });
    fireEvent.change(within(form).getByLabelText('Commit id to deploy to production'), { target: { value: SHA_NEW } });
    fireEvent.submit(form);
    await settle();
    expect(expectBearer(harness, 'POST', '/api/v1/environments/production/deployments', TOKEN).body).toEqual({ sha: SHA_NEW });
    expect(form.textContent).toContain('Queued deployment 01JNEW, waiting for approval');

    const stagingForm = screen.getByRole('form', { name: 'Deploy to staging' });
    fireEvent.change(within(stagingForm).getByLabelText('Deploy to staging'), { target: { value: 'buildId' } });
    fireEvent.change(within(stagingForm).getByLabelText('Build id to deploy to staging'), { target: { value: '01JBUILD' } });
    fireEvent.submit(stagingForm);
    await settle();
    expect(harness.gateway.last('POST', '/api/v1/environments/staging/deployments').body).toEqual({ buildId: '01JBUILD' });
    expect(within(stagingForm).getByText('Conflict: staging is paused (reverted): resume it first')).toBeTruthy();
  });

  it('pauses with a reason and resumes', async () => {
    const gateway = deployGateway()
      .on('POST', '/api/v1/environments/production/pause', {
        status: 200,
        body: { environment: 'production', paused: { reason: 'operator', by: 'local-admin', detail: 'freeze', at: '2026-12-06T11:00:00Z' }, revision: 1 },
      })
      .on('POST', '/api/v1/environments/staging/resume', { status: 200, body: { environment: 'staging', revision: 3 } });
    harness = openPage('/deployments', gateway, TOKEN);
    await settle();
    expect(document.activeElement).toBe(document.body); // a control not offered (staging's Pause) takes no focus
    // the list is read again after each action; the fake answers with what the service would say by then
    const frozen = { ...production, paused: true, pause: { reason: 'operator', by: 'local-admin', detail: 'freeze', at: '2026-12-06T11:00:00Z' } };
    gateway.on('GET', '/api/v1/environments', { status: 200, body: { environments: [staging, frozen], problems: [] } });
    fireEvent.click(screen.getByRole('button', { name: 'Pause production' }));
    const reason = screen.getByLabelText('Why pause it?') as HTMLInputElement;
    expect(reason.required).toBe(true);
    fireEvent.change(reason, { target: { value: 'freeze' } });
    fireEvent.submit(reason.form!);
    await settle();
    expect(expectBearer(harness, 'POST', '/api/v1/environments/production/pause', TOKEN).body).toEqual({ reason: 'freeze' });
    expect(environmentRow('production').dataset.paused).toBe('true');
    expect(environmentRow('production').textContent).toContain('production paused');
    expect(environmentRow('production').textContent).toContain('operator by local-admin');

    gateway.on('GET', '/api/v1/environments', { status: 200, body: { environments: [{ ...staging, paused: false, pause: undefined }, frozen], problems: [] } });
    fireEvent.click(screen.getByRole('button', { name: 'Resume staging' }));
    fireEvent.submit((screen.getByLabelText('Why (optional)') as HTMLInputElement).form!);
    await settle();
    expect(expectBearer(harness, 'POST', '/api/v1/environments/staging/resume', TOKEN).body).toEqual({});
    expect(environmentRow('staging').dataset.paused).toBe('false');
  });

  it('moves deployments with their events and reads the environments again for their figures', async () => {
    harness = openPage('/deployments', deployGateway());
    await settle();
    live(harness, 'deployments');
    const environmentsRead = harness.gateway.count('GET', '/api/v1/environments');
    const deploymentsRead = harness.gateway.count('GET', DEPLOYMENTS_PAGE);
    harness.gateway.on('GET', '/api/v1/environments', {
      status: 200,
      body: { environments: [{ ...staging, successRate: { days7: 0.6, days30: 0.8 } }, production], problems: [] },
    });

    event(harness, 'deployments', 1, 'deployment.queued', deployment('01JLIVE', 'staging', 'queued', { sha: SHA_NEW }));
    event(harness, 'deployments', 2, 'deployment.in-progress', deployment('01JLIVE', 'staging', 'in_progress', { sha: SHA_NEW, revision: 2 }));
    event(harness, 'deployments', 3, 'deployment.queued', deployment('01JLIVE', 'staging', 'queued', { sha: SHA_NEW })); // late
    await settle();
    expect(row('01JLIVE').dataset.state).toBe('in_progress');
    expect(environmentRow('staging').textContent).toContain('7 days: 60% · 30 days: 80%');
    // three events, one read in flight and one after it: never one read per event beyond that
    expect(harness.gateway.count('GET', '/api/v1/environments') - environmentsRead).toBeLessThanOrEqual(2);
    expect(harness.gateway.count('GET', DEPLOYMENTS_PAGE)).toBe(deploymentsRead);
  });

  it("shows a deployment's step output when asked", async () => {
    const gateway = deployGateway().on('GET', '/api/v1/deployments/01JBAD/log?step=health', {
      status: 200,
      text: 'health: current does not point at this release\n',
      headers: { 'Content-Type': 'text/plain' },
    });
    harness = openPage('/deployments', gateway);
    await settle();
    expect(within(row('01JGOOD')).queryByText('Output')).toBeNull(); // never started: nothing to show
    fireEvent.click(screen.getByRole('button', { name: 'Show output of the health check of deployment 01JBAD' }));
    await settle();
    expect(screen.getByLabelText('output of the health check of deployment 01JBAD').textContent).toContain('does not point at this release');
  });

  it('says the deployments API is not available in GitHub mode, and shows nothing made up', async () => {
    const github = problem(501, 'Not Implemented', 'deploy-service runs in local mode only');
    harness = openPage('/deployments', gatewayForPages().on('GET', '/api/v1/environments', github).on('GET', DEPLOYMENTS_PAGE, github), TOKEN);
    await settle();
    expect(screen.getAllByText(/The deployments API is not available: Not Implemented: deploy-service runs in local mode only/).length).toBe(2);
    expect(document.querySelector('[data-environment], [data-deployment]')).toBeNull();
  });
});
