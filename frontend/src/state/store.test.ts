import { describe, expect, it } from 'vitest';
import type { Run } from '../api/types';
import type { LiveEvent } from '../live/connection';
import { run } from '../test/fakes';
import { DashboardStore } from './store';

const runEvent = (offset: number, data: unknown): LiveEvent => ({
  topic: 'runs',
  epoch: 'e1',
  offset,
  event: 'run.x',
  data,
});

describe('DashboardStore', () => {
  it('holds events during a refetch and applies them over the snapshot', () => {
    const store = new DashboardStore();
    store.beginResync('runs');
    store.event(runEvent(41, run('01B', 'queued')));
    expect(store.getSnapshot().runs.size).toBe(0);
    store.runsLoaded({ runs: [run('01A', 'running') as Run] });
    store.endResync('runs');
    expect([...store.getSnapshot().runs.keys()].sort()).toEqual(['01A', '01B']);
  });

  it('never moves a run backwards on a late event, but a REST snapshot is the truth', () => {
    const store = new DashboardStore();
    store.runsLoaded({ runs: [run('01A', 'succeeded') as Run] });
    store.event(runEvent(7, run('01A', 'running')));
    expect(store.getSnapshot().runs.get('01A')?.state).toBe('succeeded');
  });

  it('removes an agent whose declaration went away', () => {
    const store = new DashboardStore();
    store.agentsLoaded({ agents: [{ name: 'greeter' }, { name: 'changelog' }], problems: [] });
    store.event({ topic: 'agents', epoch: 'e', offset: 1, event: 'agent.updated', data: { name: 'greeter', declared: false } });
    expect(store.getSnapshot().agents.map((a) => a.name)).toEqual(['changelog']);
  });

  it('keeps events of topics without a view as recent events', () => {
    const store = new DashboardStore();
    store.event({ topic: 'builds', epoch: 'e', offset: 1, event: 'build.started', data: {} });
    expect(store.getSnapshot().recent.builds.map((e) => e.event)).toEqual(['build.started']);
  });
});
