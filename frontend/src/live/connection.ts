// One WebSocket to the gateway's /ws speaking monkeytown.v1 (docs/websocket.md): subscribe to each topic, resume by
// the last (epoch, offset) seen after a drop, and tell the page when a topic must be refetched over REST. It never
// polls: it reconnects after a close (with back-off), when the browser comes back online, or when asked.

export const TOPICS = ['agents', 'runs', 'builds', 'deployments', 'artifacts', 'alerts'] as const;
export type Topic = (typeof TOPICS)[number];

export interface LiveEvent {
  topic: Topic;
  epoch: string;
  offset: number;
  event: string;
  subject?: string;
  time?: string;
  data: unknown;
}

export type ConnectionStatus =
  | { kind: 'connecting' }
  | { kind: 'live'; since: number; resumed: boolean }
  | { kind: 'reconnecting'; attempt: number; retryAt: number; closeCode?: number }
  | { kind: 'offline' };

export interface LiveHandlers {
  status(status: ConnectionStatus): void;
  event(event: LiveEvent): void;
  /** recovered:false — the topic's state must be fetched again over REST; events after it follow. */
  reset(topic: Topic): void;
  /** the socket opened again after a drop: a moment to check for a new dashboard version */
  reconnected(): void;
}

export interface SocketLike {
  readyState: number;
  onopen: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface LiveOptions {
  url: string;
  topics: readonly Topic[];
  protocols: () => string[];
  handlers: LiveHandlers;
  createSocket?: (url: string, protocols: string[]) => SocketLike;
  /** milliseconds before reconnect attempt n (1, 2, ...) */
  backoff?: (attempt: number) => number;
  now?: () => number;
}

interface Position {
  epoch: string;
  offset: number;
}


/** 1 s, 2 s, 4 s ... capped at 30 s, with jitter so a gateway restart is not met by every tab at once. */
export function defaultBackoff(attempt: number): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.min(attempt - 1, 5));
  return Math.round(base * (0.75 + Math.random() * 0.5));
}

/**
 * How long a socket must stay open before the back-off starts over. Resetting on open would let a replica that accepts
 * and drops at once (overloaded, restarting) be met by every tab after the shortest delay, forever.
 */
export const STABLE_AFTER_MS = 10_000;

export class LiveConnection {
  private readonly positions = new Map<Topic, Position>();
  private socket: SocketLike | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stableTimer: ReturnType<typeof setTimeout> | null = null;
  private everOpened = false;
  private stopped = true;

  constructor(private readonly options: LiveOptions) {}

  start(): void {
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer();
    this.clearStableTimer();
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      detach(socket);
      socket.close(1000, 'page closed');
    }
  }

  /** Drop the current socket (if any) and connect at once, resuming where it stood: new token, "retry now", online. */
  reconnectNow(): void {
    if (this.stopped) return;
    this.clearTimer();
    this.clearStableTimer();
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      detach(socket);
      socket.close(1000, 'reconnecting');
    }
    this.open();
  }

  /** The browser says it has no network: wait for it instead of burning attempts. */
  offline(): void {
    this.clearTimer();
    this.options.handlers.status({ kind: 'offline' });
  }

  position(topic: Topic): Position | undefined {
    return this.positions.get(topic);
  }

  private open(): void {
    const { url, protocols, handlers } = this.options;
    const create = this.options.createSocket ?? ((u, p) => new WebSocket(u, p) as unknown as SocketLike);
    handlers.status({ kind: 'connecting' });
    let socket: SocketLike;
    try {
      socket = create(url, protocols());
    } catch {
      this.scheduleReconnect(undefined);
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      const resumed = this.everOpened;
      this.everOpened = true;
      this.clearStableTimer();
      this.stableTimer = setTimeout(() => {
        this.stableTimer = null;
        if (this.socket === socket) this.attempt = 0;
      }, STABLE_AFTER_MS);
      for (const topic of this.options.topics) socket.send(JSON.stringify(this.subscribeFrame(topic)));
      handlers.status({ kind: 'live', since: this.now(), resumed });
      if (resumed) handlers.reconnected();
    };
    socket.onmessage = (message) => this.receive(message.data);
    socket.onerror = () => {
      // a close follows every error; reconnecting is decided there
    };
    socket.onclose = (close) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (!this.stopped) this.scheduleReconnect(close.code);
    };
  }

  private subscribeFrame(topic: Topic): Record<string, unknown> {
    const position = this.positions.get(topic);
    return position
      ? { type: 'subscribe', topic, epoch: position.epoch, offset: position.offset }
      : { type: 'subscribe', topic };
  }

  private receive(raw: unknown): void {
    if (typeof raw !== 'string') return;
    let frame: Record<string, unknown>;
    try {
      frame = JSON.parse(raw);
    } catch {
      return;
    }
    const topic = frame.topic as Topic;
    if (!this.options.topics.includes(topic)) return;
    if (frame.type === 'subscribed') {
      if (frame.recovered === true) return; // replay follows from the position we sent
      if (typeof frame.epoch === 'string' && typeof frame.offset === 'number') {
        this.positions.set(topic, { epoch: frame.epoch, offset: frame.offset });
      } else {
        this.positions.delete(topic); // the replica has seen nothing of this topic yet
      }
      this.options.handlers.reset(topic);
    } else if (frame.type === 'event' && typeof frame.epoch === 'string' && typeof frame.offset === 'number') {
      this.positions.set(topic, { epoch: frame.epoch, offset: frame.offset });
      this.options.handlers.event(frame as unknown as LiveEvent);
    }
  }

  private scheduleReconnect(closeCode: number | undefined): void {
    this.clearTimer();
    this.clearStableTimer();
    this.attempt += 1;
    // 1008: we sent too many frames; give the server a longer pause than an ordinary drop
    const delay = (this.options.backoff ?? defaultBackoff)(this.attempt) * (closeCode === 1008 ? 4 : 1);
    this.options.handlers.status({ kind: 'reconnecting', attempt: this.attempt, retryAt: this.now() + delay, closeCode });
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.stopped) this.open();
    }, delay);
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private clearStableTimer(): void {
    if (this.stableTimer !== null) clearTimeout(this.stableTimer);
    this.stableTimer = null;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

function detach(socket: SocketLike): void {
  socket.onopen = socket.onmessage = socket.onerror = socket.onclose = null;
}

export function socketUrl(location: Location): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

