// What the builds, deployments and artifacts pages keep for themselves: REST answers read when the page opens, again
// when their topic was reset (recovered:false) and when an event says a figure the event does not carry changed; the
// records in between moved by events. Records carry a revision that every stored change bumps, so whichever arrives
// later — an event or a REST answer — the newer record wins.

import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, describe, getJson } from '../api/client';
import type { Load } from './store';

export function loadFailed(e: unknown): Load {
  const unavailable = e instanceof ApiError && e.unavailable;
  const status = e instanceof ApiError && e.status ? ` (HTTP ${e.status})` : '';
  return { kind: 'error', message: describe(e) + status, unavailable, status: e instanceof ApiError ? e.status : undefined };
}

/**
 * One REST read a page owns: made when the page opens and whenever `resetKey` changes; `refresh()` asks again, and
 * refreshes asked for while a read is in flight become one more read after it (a burst of events costs two reads,
 * not one per event).
 */
export function useApiRead<T>(path: string, resetKey: unknown, apply: (data: T) => void): { load: Load; refresh: () => void } {
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const applyRef = useRef(apply);
  applyRef.current = apply;
  const flight = useRef<{ abort: AbortController | null; again: boolean }>({ abort: null, again: false });

  const read = useCallback(() => {
    const current = flight.current;
    if (current.abort) {
      current.again = true;
      return;
    }
    const abort = new AbortController();
    current.abort = abort;
    getJson<T>(path, abort.signal)
      .then((data) => {
        if (abort.signal.aborted) return;
        applyRef.current(data);
        setLoad({ kind: 'ok' });
      })
      .catch((e) => {
        if (!abort.signal.aborted) setLoad(loadFailed(e));
      })
      .finally(() => {
        if (abort.signal.aborted) return;
        current.abort = null;
        if (current.again) {
          current.again = false;
          read();
        }
      });
  }, [path]);

  useEffect(() => {
    read();
    return () => {
      flight.current.abort?.abort();
      flight.current = { abort: null, again: false };
    };
  }, [read, resetKey]);

  return { load, refresh: read };
}

export interface Revisioned {
  id: string;
  revision: number;
}

/**
 * Records merged by id: a record replaces a known one only when its revision is newer — or, for a REST answer
 * (`snapshot`), the same (its extra fields, such as a build's waiting reason, are fresher than an event's).
 */
export function mergeNewer<T extends Revisioned>(known: ReadonlyMap<string, T>, incoming: readonly T[], snapshot: boolean): Map<string, T> {
  const next = new Map(known);
  for (const record of incoming) {
    const old = next.get(record.id);
    if (!old || record.revision > old.revision || (snapshot && record.revision === old.revision)) next.set(record.id, record);
  }
  return next;
}

/** Newest first: ids are ULIDs, which sort by creation. */
export function newestFirst<T extends { id: string }>(records: ReadonlyMap<string, T>, limit = Infinity): T[] {
  return [...records.values()].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)).slice(0, limit);
}

const UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

export function percent(share: number): string {
  return `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;
}
