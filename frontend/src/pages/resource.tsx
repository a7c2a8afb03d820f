// Builds, deployments and artifacts: their services do not serve an API yet (their /api/v1 routes answer 404). This
// page shows exactly what the API answers — a list when there is one, a plain "not available" when there is not —
// and the topic's live events, and never anything made up.

import { useEffect, useState } from 'react';
import { ApiError, describe, getJson } from '../api/client';
import { useSnapshot } from '../context';
import type { Topic } from '../live/connection';
import type { Load } from '../state/store';
import { LoadState, When } from '../components/common';

type Kind = 'builds' | 'deployments' | 'artifacts';

const TITLES: Record<Kind, string> = { builds: 'Builds', deployments: 'Deployments', artifacts: 'Artifacts' };
const TOPICS: Record<Kind, Topic[]> = { builds: ['builds', 'alerts'], deployments: ['deployments'], artifacts: ['artifacts'] };

type Row = Record<string, unknown>;

/** The first array in an answer, whatever the service calls it ({builds: [...]}, {items: [...]}, or a bare array). */
export function rowsOf(body: unknown): Row[] {
  if (Array.isArray(body)) return body.filter((row) => row && typeof row === 'object');
  if (body && typeof body === 'object') {
    for (const value of Object.values(body)) if (Array.isArray(value)) return rowsOf(value);
  }
  return [];
}

function columnsOf(rows: Row[]): string[] {
  const first = rows[0] ?? {};
  return Object.keys(first)
    .filter((key) => ['string', 'number', 'boolean'].includes(typeof first[key]))
    .slice(0, 6);
}

export function ResourcePage({ kind }: { kind: Kind }) {
  const { recent, resets } = useSnapshot();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [rows, setRows] = useState<Row[]>([]);
  const resetCount = TOPICS[kind].reduce((sum, topic) => sum + resets[topic], 0);

  useEffect(() => {
    const abort = new AbortController();
    setLoad({ kind: 'loading' });
    getJson<unknown>(`/api/v1/${kind}`, abort.signal)
      .then((body) => {
        setRows(rowsOf(body));
        setLoad({ kind: 'ok' });
      })
      .catch((e) => {
        if (abort.signal.aborted) return;
        const unavailable = e instanceof ApiError && e.unavailable;
        const status = e instanceof ApiError && e.status ? ` (HTTP ${e.status})` : '';
        setLoad({ kind: 'error', message: describe(e) + status, unavailable });
      });
    return () => abort.abort();
  }, [kind, resetCount]);

  const events = TOPICS[kind].flatMap((topic) => recent[topic]).sort((a, b) => (b.time ?? '').localeCompare(a.time ?? ''));
  const columns = columnsOf(rows);
  return (
    <>
      <h1 tabIndex={-1}>{TITLES[kind]}</h1>
      <LoadState load={load} what={kind}>
        {rows.length === 0 ? (
          <p className="muted">The API answered with no {kind}.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">{TITLES[kind]}</caption>
              <thead>
                <tr>
                  {columns.map((column) => (
                    <th key={column} scope="col">
                      {column}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((row, i) => (
                  <tr key={String(row.id ?? i)}>
                    {columns.map((column) => (
                      <td key={column}>{String(row[column])}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </LoadState>
      <section aria-labelledby="events">
        <h2 id="events">Live events</h2>
        {events.length === 0 ? (
          <p className="muted">No {TOPICS[kind].join(' or ')} events since this page opened.</p>
        ) : (
          <ul className="rows">
            {events.map((event) => (
              <li key={`${event.epoch}:${event.offset}`} className="row-item">
                <span className="mono">{event.event}</span>
                {event.subject && <span>{event.subject}</span>}
                <span className="muted">
                  <When at={event.time} />
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
