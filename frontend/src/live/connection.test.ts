import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeServer } from '../test/fakes';
import { type ConnectionStatus, type LiveEvent, LiveConnection, type Topic } from './connection';

function connect(topics: Topic[] = ['runs', 'agents']) {
  const server = new FakeServer();
  const statuses: ConnectionStatus[] = [];
  const events: LiveEvent[] = [];
  const resets: Topic[] = [];
  let reconnects = 0;
  const connection = new LiveConnection({
    url: 'ws://gateway/ws',
    topics,
    protocols: () => ['monkeytown.v1'],
    createSocket: server.create,
    backoff: () => 1000,
    handlers: {
      status: (s) => statuses.push(s),
      event: (e) => events.push(e),
      reset: (t) => resets.push(t),
      reconnected: () => reconnects++,
    },
  });
  connection.start();
  return { server, connection, statuses, events, resets, reconnects: () => reconnects };
}

describe('LiveConnection', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('subscribes to every topic without a position on first connect and refetches on recovered:false', () => {
    const { server, resets, connection } = connect();
    server.last.open();
    expect(server.last.sent).toEqual([
      { type: 'subscribe', topic: 'runs' },
      { type: 'subscribe', topic: 'agents' },
    ]);
    server.last.frame({ type: 'subscribed', topic: 'runs', epoch: 'e1', offset: 40, recovered: false });
    expect(resets).toEqual(['runs']);
    expect(connection.position('runs')).toEqual({ epoch: 'e1', offset: 40 });
  });

  it('resumes after a drop from the last event it received, and a recovered resume needs no refetch', () => {
    const { server, resets, events, statuses, reconnects } = connect(['runs']);
    server.last.open();
    server.last.frame({ type: 'subscribed', topic: 'runs', epoch: 'e1', offset: 40, recovered: false });
    server.last.frame({ type: 'event', topic: 'runs', epoch: 'e1', offset: 41, event: 'run.queued', data: {} });
    server.last.frame({ type: 'event', topic: 'runs', epoch: 'e1', offset: 42, event: 'run.started', data: {} });
    server.last.drop();
    expect(statuses.at(-1)).toMatchObject({ kind: 'reconnecting', attempt: 1 });

    vi.advanceTimersByTime(1000);
    expect(server.sockets).toHaveLength(2);
    server.last.open();
    expect(server.last.sent).toEqual([{ type: 'subscribe', topic: 'runs', epoch: 'e1', offset: 42 }]);
    expect(statuses.at(-1)).toMatchObject({ kind: 'live', resumed: true });
    expect(reconnects()).toBe(1);

    server.last.frame({ type: 'subscribed', topic: 'runs', epoch: 'e1', offset: 42, recovered: true });
    server.last.frame({ type: 'event', topic: 'runs', epoch: 'e1', offset: 43, event: 'run.succeeded', data: {} });
    expect(resets).toEqual(['runs']); // only the first subscribe
    expect(events.map((e) => e.offset)).toEqual([41, 42, 43]);
  });

  it('a recovered:false nobody asked for (producer restart) means refetch, from the new epoch on', () => {
    const { server, resets, connection } = connect(['runs']);
    server.last.open();
    server.last.frame({ type: 'subscribed', topic: 'runs', epoch: 'e1', offset: 5, recovered: false });
    server.last.frame({ type: 'subscribed', topic: 'runs', epoch: 'e2', offset: 0, recovered: false });
    expect(resets).toEqual(['runs', 'runs']);
    expect(connection.position('runs')).toEqual({ epoch: 'e2', offset: 0 });
  });

  it('forgets the position when the replica has seen nothing of the topic (epoch null)', () => {
    const { server, connection } = connect(['runs']);
    server.last.open();
    server.last.frame({ type: 'subscribed', topic: 'runs', epoch: null, offset: 0, recovered: false });
    expect(connection.position('runs')).toBeUndefined();
  });

  it('keeps retrying while the gateway is down, and reconnectNow skips the wait', () => {
    const { server, connection, statuses } = connect(['runs']);
    server.last.drop();
    vi.advanceTimersByTime(1000);
    server.last.drop();
    expect(statuses.at(-1)).toMatchObject({ kind: 'reconnecting', attempt: 2 });
    connection.reconnectNow();
    expect(server.sockets).toHaveLength(3);
    server.last.open();
    expect(statuses.at(-1)).toMatchObject({ kind: 'live' });
  });

  it('a socket that opens and is dropped at once does not reset the back-off (no reconnect storm)', () => {
    // e.g. a gateway replica that accepts and then closes (overloaded, restarting, refusing the token): resetting on
    // open would bring every tab back after the first, shortest delay, forever
    const { server, statuses } = connect(['runs']);
    for (let i = 0; i < 3; i++) {
      server.last.open();
      server.last.drop();
      vi.advanceTimersByTime(1000);
    }
    expect(server.sockets).toHaveLength(4);
    expect(statuses.filter((s) => s.kind === 'reconnecting').map((s) => (s as { attempt: number }).attempt)).toEqual([
      1, 2, 3,
    ]);
  });

  it('a connection that stayed up starts the back-off over', () => {
    const { server, statuses } = connect(['runs']);
    server.last.drop();
    vi.advanceTimersByTime(1000);
    server.last.drop();
    vi.advanceTimersByTime(1000);
    server.last.open();
    vi.advanceTimersByTime(30_000);
    server.last.drop();
    expect(statuses.at(-1)).toMatchObject({ kind: 'reconnecting', attempt: 1 });
  });

  it("the browser saying it is offline does not cancel an open socket's path back to a fresh back-off", () => {
    const { server, connection, statuses } = connect(['runs']);
    server.last.drop();
    vi.advanceTimersByTime(1000);
    server.last.drop();
    vi.advanceTimersByTime(1000);
    server.last.open();
    connection.offline(); // the socket stays open: the offline event is only the browser's guess
    vi.advanceTimersByTime(30_000);
    server.last.drop();
    expect(statuses.at(-1)).toMatchObject({ kind: 'reconnecting', attempt: 1 });
  });

  it('stops for good: no reconnect after stop()', () => {
    const { server, connection } = connect(['runs']);
    server.last.open();
    connection.stop();
    vi.advanceTimersByTime(60_000);
    expect(server.sockets).toHaveLength(1);
    expect(server.last.closedByClient).toBe(true);
  });
});
