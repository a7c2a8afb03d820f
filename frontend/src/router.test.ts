import { describe, expect, it } from 'vitest';
import routes from './routes.json';
import { matchRoute } from './router';

describe('matchRoute', () => {
  it('maps every page to its URL', () => {
    expect(matchRoute('/')).toEqual({ page: 'overview' });
    expect(matchRoute('/agents/docs-writer')).toEqual({ page: 'agent', name: 'docs-writer' });
    expect(matchRoute('/runs/01JD9')).toEqual({ page: 'run', id: '01JD9' });
    expect(matchRoute('/builds')).toEqual({ page: 'resource', kind: 'builds' });
    expect(matchRoute('/alerts')).toEqual({ page: 'resource', kind: 'alerts' });
    expect(matchRoute('/runs/a/b')).toEqual({ page: 'not-found' });
    expect(matchRoute('/runs/%E0%A4%A')).toEqual({ page: 'not-found' });
  });

  it('has a page for every prefix the gateway answers with index.html, and no page outside them', () => {
    for (const prefix of routes.prefixes) expect(matchRoute(prefix).page).not.toBe('not-found');
    expect(matchRoute('/elsewhere').page).toBe('not-found');
  });
});
