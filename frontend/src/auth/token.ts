// The operator token lives in this tab only: in memory, or in sessionStorage when the operator asks to keep it across
// reloads (the spec: "Session: client-side only"). It leaves the page only as an Authorization header and as a
// WebSocket subprotocol entry, never in a URL, where logs, history and Referer headers would keep it.

const KEY = 'monkeytown.token';
let token: string | null = readStored();
const listeners = new Set<() => void>();

function readStored(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function getToken(): string | null {
  return token;
}

export function setToken(value: string | null, remember: boolean): void {
  token = value && value.trim() ? value.trim() : null;
  try {
    if (token && remember) sessionStorage.setItem(KEY, token);
    else sessionStorage.removeItem(KEY);
  } catch {
    // storage refused (private mode): memory only
  }
  listeners.forEach((listener) => listener());
}

export function onTokenChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** base64url of the UTF-8 bytes, without padding, as the gateway's bearer subprotocol expects. */
export function base64url(value: string): string {
  let binary = '';
  new TextEncoder().encode(value).forEach((byte) => (binary += String.fromCharCode(byte)));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function bearerSubprotocol(value: string): string {
  return 'base64url.bearer.monkeytown.' + base64url(value);
}
