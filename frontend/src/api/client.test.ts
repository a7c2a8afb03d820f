import { afterEach, describe, expect, it, vi } from 'vitest';
import { setToken } from '../auth/token';
import { FakeGateway } from '../test/fakes';
import { ApiError, describe as say, postJson } from './client';

afterEach(() => {
  vi.unstubAllGlobals();
  setToken(null, false);
});

const refusal = (status: number, title: string, detail: string) => new ApiError(status, { status, title, detail });

describe('the API client', () => {
  it('sends a JSON body as application/json with the bearer header, and no body at all when there is none', async () => {
    const gateway = new FakeGateway().on('POST', '/api/v1/x', { status: 200, body: {} });
    vi.stubGlobal('fetch', gateway.fetch);
    setToken('t0k', false);
    await postJson('/api/v1/x', { reason: 'why' });
    await postJson('/api/v1/x');
    const [withBody, without] = gateway.requests;
    expect(withBody.headers).toEqual({ Accept: 'application/json', Authorization: 'Bearer t0k', 'Content-Type': 'application/json' });
    expect(withBody.body).toEqual({ reason: 'why' });
    expect(without.headers['Content-Type']).toBeUndefined();
    expect(without.body).toBeUndefined();
  });

  it("says a refusal with the problem's title and detail", () => {
    expect(say(refusal(409, 'Conflict', 'checks is not held on main'))).toBe('Conflict: checks is not held on main');
    expect(say(new ApiError(409, { status: 409, title: 'Conflict' }))).toBe('Conflict');
    expect(say(refusal(403, 'Forbidden', 'operator role required'))).toBe('Your token may not do this: Forbidden: operator role required');
    // a read refused without a token needs a token, not necessarily an operator's (a viewer's does for artifacts)
    expect(say(refusal(401, 'Unauthorized', 'authentication required'))).toBe(
      'Unauthorized: authentication required (set a token the gateway accepts under "Token")',
    );
  });
});
