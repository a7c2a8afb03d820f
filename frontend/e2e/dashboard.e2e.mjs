// The dashboard end to end: the system Chromium against a suite started by ./monkeytown (MONKEYTOWN_URL,
// MONKEYTOWN_HOME). Run by system-tests' DashboardIT, or by hand: `npm test` here with the suite up.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, suite } from './browser.mjs';

let browser;
let base;
let token;

before(async () => {
  ({ base, token } = await suite());
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

async function api(method, path, json) {
  const headers = { Authorization: `Bearer ${token}` };
  if (json !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(base + path, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) });
  const body = await response.text();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${body}`);
  return JSON.parse(body);
}

/** A page that records what a test must never see: script errors, CSP violations, console errors, reloads. */
async function open(path) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  let loads = 0;
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('request', (r) => requests.push(`${r.method()} ${new URL(r.url()).pathname}${new URL(r.url()).search}`));
  // WebSocket upgrades are not 'request' events: their URLs are checked as well
  page.on('websocket', (ws) => requests.push(`WS ${new URL(ws.url()).pathname}${new URL(ws.url()).search}`));
  page.on('framenavigated', (f) => f === page.mainFrame() && loads++);
  await page.goto(base + path);
  await page.getByText('Live', { exact: true }).waitFor();
  return { context, page, problems, requests, loads: () => loads };
}

test('the dashboard loads at / with live data and nothing the browser complains about', async () => {
  const { context, page, problems } = await open('/');
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  await page.getByText('agents declared').waitFor();
  assert.equal(await page.title(), 'Overview · Monkeytown');
  // a deep link survives a reload: the gateway answers the page URL with the dashboard
  await page.goto(base + '/agents/greeter');
  await page.getByRole('heading', { level: 1, name: 'greeter' }).waitFor();
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'greeter' }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('the alerts page loads at /alerts, asks a visitor for a token, and lists the receiver\'s alerts to someone with one', async () => {
  const { context, page, problems, requests } = await open('/alerts');
  await page.getByRole('heading', { level: 1, name: 'Alerts' }).waitFor();
  assert.equal(await page.title(), 'Alerts · Monkeytown');
  // the gateway keeps alerts from anonymous visitors; the page asks nothing it would be refused
  await page.getByText('Alerts are for people with a token').waitFor();
  await page.reload();
  await page.getByText('Alerts are for people with a token').waitFor();
  assert.ok(requests.every((r) => !r.includes('/api/v1/alerts')), 'an anonymous page asked for the alerts');
  await page.getByRole('button', { name: 'Token' }).click();
  await page.getByLabel('Operator token').fill(token);
  await page.getByRole('button', { name: 'Use token' }).click();
  // the sections exist only once GET /api/v1/alerts answered (a 404/503 shows "not available" instead)
  await page.getByRole('heading', { level: 2, name: 'Firing' }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Recently resolved' }).waitFor();
  assert.ok(requests.every((r) => !r.includes(token)), 'the token appeared in a URL');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a run queued through the API appears live, without a reload and without polling', async () => {
  const { context, page, problems, requests, loads } = await open('/runs');
  await page.getByRole('heading', { name: 'Recent' }).waitFor();
  const loadsBefore = loads();
  const requestsBefore = requests.length;

  const run = await api('POST', '/api/v1/agents/greeter/runs');
  await page.locator(`[data-run="${run.id}"]`).first().waitFor({ timeout: 15_000 });
  // and it follows the run to its end, still without asking the API
  await page.locator(`[data-run="${run.id}"][data-state="succeeded"]`).waitFor({ timeout: 60_000 });

  assert.equal(loads(), loadsBefore, 'the page reloaded');
  assert.deepEqual(requests.slice(requestsBefore), [], 'the page made requests instead of listening');
  assert.deepEqual(problems, []);
  await context.close();
});

test('an operator sets a token and queues a run from the page', async () => {
  const { context, page, problems, requests } = await open('/agents/greeter');
  assert.equal(await page.getByRole('button', { name: 'Run greeter now' }).count(), 0, 'anonymous visitors cannot act');
  await page.getByRole('button', { name: 'Token' }).click();
  await page.getByLabel('Operator token').fill(token);
  await page.getByRole('button', { name: 'Use token' }).click();
  await page.getByText('Live', { exact: true }).waitFor(); // reconnected under the token

  await page.getByRole('button', { name: 'Run greeter now' }).click();
  const link = page.getByRole('link', { name: /^run / });
  await link.waitFor();
  const id = (await link.textContent()).replace(/^run /, '');
  const recorded = await api('GET', `/api/v1/runs/${id}`);
  assert.equal(recorded.agent, 'greeter');
  assert.equal(recorded.trigger.requester, 'local-admin');
  await page.locator(`[data-run="${id}"][data-state="succeeded"]`).waitFor({ timeout: 60_000 });

  assert.ok(requests.every((r) => !r.includes(token)), 'the token appeared in a URL');
  assert.deepEqual(problems, []);
  await context.close();
});

/** Asks the API until `done` holds of the answer, for at most `seconds`. */
async function until(path, done, seconds) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const answer = await api('GET', path);
    if (done(answer)) return answer;
    assert.ok(Date.now() < deadline, `${path} did not get there in ${seconds} s: ${JSON.stringify(answer)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

test('an operator approves a production deployment from the deployments page, and sees it move on live', async () => {
  // production needs a site build of the commit and an approval (the seeded environments.yaml)
  const build = await api('POST', '/api/v1/pipelines/site/builds', {});
  await until(`/api/v1/builds/${build.id}`, (b) => b.state === 'succeeded', 120);
  // the answer is the recorded request (queued); the engine then finds it needs an approval
  const queued = await api('POST', '/api/v1/environments/production/deployments', { buildId: build.id });
  const waiting = await until(`/api/v1/deployments/${queued.id}`, (d) => d.state === 'waiting', 60);

  const { context, page, problems, requests } = await open('/deployments');
  const row = page.locator(`[data-deployment="${waiting.id}"]`);
  await row.waitFor();
  assert.equal(await page.getByRole('button', { name: `Approve deployment ${waiting.id}` }).count(), 0, 'anonymous visitors cannot act');
  await page.getByRole('button', { name: 'Token' }).click();
  await page.getByLabel('Operator token').fill(token);
  await page.getByRole('button', { name: 'Use token' }).click();
  await page.getByText('Live', { exact: true }).waitFor();

  await page.getByRole('button', { name: `Approve deployment ${waiting.id}` }).click();
  await page.getByLabel('Why approve it?').fill('e2e: approved from the dashboard');
  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  // the approval's answer moves the row on; its end arrives only as the deployment's own events, without a reload
  await page.locator(`[data-deployment="${waiting.id}"]:not([data-state="waiting"])`).waitFor({ timeout: 30_000 });
  const ended = await until(`/api/v1/deployments/${waiting.id}`, (d) => ['success', 'failure', 'error'].includes(d.state), 120);
  await page.locator(`[data-deployment="${waiting.id}"][data-state="${ended.state}"]`).waitFor({ timeout: 30_000 });
  const recorded = await api('GET', `/api/v1/deployments/${waiting.id}`);
  assert.equal(recorded.approval?.approved, true, JSON.stringify(recorded));
  assert.equal(recorded.approval?.by, 'local-admin');
  assert.equal(recorded.approval?.reason, 'e2e: approved from the dashboard');

  assert.ok(requests.every((r) => !r.includes(token)), 'the token appeared in a URL');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a dropped connection is shown, recovers by itself, and replays what happened meanwhile', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  let down = false;
  let attempts = 0;
  let current = null;
  // stand between the page and the real /ws, so the test can cut the connection and keep it cut, as a network would
  await page.routeWebSocket(/\/ws$/, (ws) => {
    attempts++;
    if (down) {
      ws.close({ code: 1001, reason: 'test: network down' });
      return;
    }
    ws.connectToServer();
    current = ws;
  });
  await page.goto(base + '/runs');
  await page.getByText('Live', { exact: true }).waitFor();
  await page.getByRole('heading', { name: 'Recent' }).waitFor();
  // "Live" shows when the socket opens, before the subscriptions are answered; cut before that and the page has no
  // position to resume from, so a refetch would be the right answer (seen on a loaded CI machine). Runs have had
  // events by now (the tests above queued some), so the runs topic always has a position to answer with.
  await page.waitForFunction(() => window.monkeytown.connection.position('runs') !== undefined);

  const requests = [];
  page.on('request', (r) => requests.push(`${r.method()} ${new URL(r.url()).pathname}`));
  down = true;
  current.close({ code: 1001, reason: 'test: connection cut' });
  await page.getByText('Connection lost.').waitFor();
  // committed (and its events published) while the page cannot hear it
  const missed = await api('POST', '/api/v1/agents/greeter/runs');
  const attemptsWhileDown = attempts;
  await page.waitForFunction((n) => window.monkeytown.store.getSnapshot().connection.attempt > n, 1);
  assert.equal(await page.locator(`[data-run="${missed.id}"]`).count(), 0, 'heard while cut off?');

  down = false;
  await page.getByText('Reconnected.').waitFor({ timeout: 45_000 });
  await page.locator(`[data-run="${missed.id}"]`).first().waitFor({ timeout: 15_000 });
  // the runs were replayed from where the page stood, not refetched (agents may be: websocket-service answers
  // recovered:false for a topic whose retained log is empty once other topics' events moved its head)
  const recovery = await page.evaluate(() => window.monkeytown.store.getSnapshot().lastRecovery);
  assert.ok(!recovery?.refetched.includes('runs'), `runs were refetched: ${JSON.stringify(recovery)}`);
  assert.deepEqual(requests.filter((r) => r.startsWith('GET /api/v1/runs')), [], 'runs were refetched over REST');
  assert.ok(attempts > attemptsWhileDown, 'the page stopped trying');
  assert.deepEqual(problems, []);
  await context.close();
});
