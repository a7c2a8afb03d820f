// Hand-written fakes: a WebSocket the test drives frame by frame, and a gateway answering fetch from a route table
// (a request nothing answers fails the test, naming the request).
import type { SocketLike } from '../live/connection';

export class FakeSocket implements SocketLike {
  readyState = 0;
  onopen: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;
  readonly sent: Record<string, unknown>[] = [];
  closedByClient = false;

  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {}

  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }

  close(): void {
    this.closedByClient = true;
    this.readyState = 3;
  }

  // ---- the server's side
  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }

  frame(frame: Record<string, unknown>): void {
    this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(frame) }));
  }

  drop(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code } as CloseEvent);
  }
}

export class FakeServer {
  readonly sockets: FakeSocket[] = [];
  create = (url: string, protocols: string[]): SocketLike => {
    const socket = new FakeSocket(url, protocols);
    this.sockets.push(socket);
    return socket;
  };
  get last(): FakeSocket {
    return this.sockets[this.sockets.length - 1];
  }
}

export interface Recorded {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** the JSON body, parsed; undefined when none was sent */
  body?: unknown;
}

type Answer = { status: number; body?: unknown; text?: string; headers?: Record<string, string> };

export class FakeGateway {
  readonly requests: Recorded[] = [];
  private readonly routes = new Map<string, () => Answer>();

  on(method: string, url: string, answer: Answer | (() => Answer)): this {
    this.routes.set(`${method} ${url}`, typeof answer === 'function' ? answer : () => answer);
    return this;
  }

  fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = String(input);
    const method = init?.method ?? 'GET';
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    this.requests.push({ method, url, headers: { ...(init?.headers as Record<string, string>) }, body });
    const route = this.routes.get(`${method} ${url}`);
    if (!route) throw new Error(`FakeGateway: no answer for ${method} ${url}; known: ${[...this.routes.keys()].join(', ')}`);
    const answer = route();
    const headers = new Headers(answer.headers);
    if (answer.body !== undefined && !headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
    return new Response(answer.text ?? (answer.body === undefined ? null : JSON.stringify(answer.body)), {
      status: answer.status,
      headers,
    });
  };

  /** the last request sent as method url; fails the test when there was none */
  last(method: string, url: string): Recorded {
    const found = this.requests.filter((r) => r.method === method && r.url === url).pop();
    if (!found) throw new Error(`FakeGateway: no ${method} ${url} was sent; sent: ${this.requests.map((r) => `${r.method} ${r.url}`).join(', ')}`);
    return found;
  }

  count(method: string, url: string): number {
    return this.requests.filter((r) => r.method === method && r.url === url).length;
  }
}

export const run = (id: string, state: string, agent = 'greeter') => ({
  id,
  agent,
  state,
  trigger: { type: 'manual', requester: 'local-admin' },
  queuedAt: '2026-11-28T04:52:10.123Z',
});
