// Alerts: what Alertmanager sent deploy-service's receiver (GET /api/v1/alerts) — firing alerts first, then the most
// recently resolved, then the hourly summaries of alert storms. Read-only: alerts are raised and resolved by
// Alertmanager, and the GitHub issues are the receiver's to open and close. Build-service's alert.* events on the
// alerts topic make the page read the list again (coalesced, as every page's re-reads); they are also listed as they
// arrive, since build-service keeps no REST record of them.

import { useState } from 'react';
import { ALERTS, type AlertList, type AlertRecord, type AlertSummary, type IssueRef, runbookUrl, safeIssueUrl } from '../api/alerts';
import { Badge, LoadState, When } from '../components/common';
import { RecentEvents } from '../components/events';
import { useEvents, useSnapshot, useToken } from '../context';
import { useApiRead } from '../state/records';

/** resolved alerts shown: the receiver keeps every one it ever saw */
const RESOLVED_SHOWN = 20;

export function AlertsPage() {
  const token = useToken();
  if (!token) {
    // the gateway keeps alerts from anonymous visitors (a security alert, internal addresses): ask nothing, say why
    return (
      <>
        <h1 tabIndex={-1}>Alerts</h1>
        <p className="notice" role="status">
          Alerts are for people with a token: set one (viewer or above) under “Token” to see what is firing.
        </p>
      </>
    );
  }
  return <AlertsList token={token} />;
}

function AlertsList({ token }: { token: string }) {
  const { resets } = useSnapshot();
  const [list, setList] = useState<AlertList | null>(null);
  // read again when the topic was reset, and under a new token (with anonymous reads off, the first read was refused)
  const read = useApiRead<AlertList>(ALERTS, `${resets.alerts}:${token}`, setList);
  useEvents('alerts', (event) => {
    if (event.event.startsWith('alert.')) read.refresh();
  });

  const alerts = list?.alerts ?? [];
  const firing = alerts.filter((alert) => alert.status === 'firing');
  const resolved = alerts.filter((alert) => alert.status === 'resolved');
  const issues: (IssueRef | undefined)[] = [...alerts.map((a) => a.issue), ...(list?.summaries ?? []).map((s) => s.issue)];

  return (
    <>
      <h1 tabIndex={-1}>Alerts</h1>
      <p className="muted">Raised and resolved by Alertmanager; each firing alert gets a GitHub issue (in GitHub mode). Nothing to do here but read.</p>
      <LoadState load={read.load} what="alerts">
        {list && (
          <>
            <p role="status" className="alert-count" data-firing={firing.length}>
              {firing.length === 0 ? 'No alert is firing.' : `${firing.length} ${firing.length === 1 ? 'alert' : 'alerts'} firing.`}
            </p>
            <section aria-labelledby="firing">
              <h2 id="firing">Firing</h2>
              {firing.length === 0 ? (
                <p className="muted">Nothing is firing.</p>
              ) : (
                <AlertRows alerts={firing} issues={issues} />
              )}
            </section>
            <section aria-labelledby="resolved">
              <h2 id="resolved">Recently resolved</h2>
              {resolved.length === 0 ? (
                <p className="muted">No alert has resolved yet.</p>
              ) : (
                <>
                  <AlertRows alerts={resolved.slice(0, RESOLVED_SHOWN)} issues={issues} />
                  {resolved.length > RESOLVED_SHOWN && (
                    <p className="muted">
                      The {RESOLVED_SHOWN} most recently changed of {resolved.length} resolved alerts.
                    </p>
                  )}
                </>
              )}
            </section>
            {list.summaries.length > 0 && <StormSummaries summaries={list.summaries} />}
          </>
        )}
      </LoadState>
      <RecentEvents topics={['alerts']} />
    </>
  );
}

function AlertRows({ alerts, issues }: { alerts: AlertRecord[]; issues: readonly (IssueRef | undefined)[] }) {
  return (
    <ul className="rows">
      {alerts.map((alert) => (
        <AlertRow key={alert.fingerprint} alert={alert} issues={issues} />
      ))}
    </ul>
  );
}

function AlertRow({ alert, issues }: { alert: AlertRecord; issues: readonly (IssueRef | undefined)[] }) {
  const labels = alert.labels ?? {};
  const annotations = alert.annotations ?? {};
  const issueUrl = safeIssueUrl(alert.issue);
  const runbook = annotations.runbook;
  const runbookLink = runbookUrl(runbook, [alert.issue, ...issues]);
  return (
    <li className="row-item alert" data-fingerprint={alert.fingerprint} data-status={alert.status}>
      <h3 className="row-title">{alert.alertname}</h3>
      {labels.severity && <Badge state={labels.severity} label={`severity: ${labels.severity}`} />}
      {labels.service && <span className="tag mono">service: {labels.service}</span>}
      <span className="muted">
        since <When at={alert.startsAt} />
        {alert.status === 'resolved' && (
          <>
            {' '}
            · resolved <When at={alert.endsAt} />
          </>
        )}
      </span>
      <dl className="facts wide">
        {annotations.summary && (
          <>
            <dt>Summary</dt>
            <dd>{annotations.summary}</dd>
          </>
        )}
        {annotations.description && (
          <>
            <dt>Description</dt>
            <dd>{annotations.description}</dd>
          </>
        )}
        {(alert.issue || alert.summarisedIn) && (
          <>
            <dt>Issue</dt>
            <dd>
              {alert.issue &&
                (issueUrl ? (
                  <a href={issueUrl} rel="noopener noreferrer" target="_blank">
                    #{alert.issue.number}
                    <span className="visually-hidden"> (GitHub issue, opens in a new tab)</span>
                  </a>
                ) : (
                  <span className="mono">#{alert.issue.number}</span>
                ))}
              {!alert.issue && alert.summarisedIn && <>listed in the alert-storm summary of {alert.summarisedIn}:00 UTC</>}
            </dd>
          </>
        )}
        {runbook && (
          <>
            <dt>Runbook</dt>
            <dd>
              {runbookLink ? (
                <a href={runbookLink} rel="noopener noreferrer" target="_blank">
                  {runbook}
                  <span className="visually-hidden"> (opens in a new tab)</span>
                </a>
              ) : (
                <span className="mono">{runbook}</span>
              )}
            </dd>
          </>
        )}
      </dl>
    </li>
  );
}

function StormSummaries({ summaries }: { summaries: AlertSummary[] }) {
  return (
    <section aria-labelledby="storms">
      <h2 id="storms">Alert storms</h2>
      <p className="muted">Hours in which more alerts fired than the hourly issue cap: the rest were listed in one summary issue.</p>
      <ul className="rows">
        {summaries.map((summary) => {
          const url = safeIssueUrl(summary.issue);
          return (
            <li key={summary.window} className="row-item" data-window={summary.window}>
              <h3 className="row-title">{summary.window}:00 UTC</h3>
              <span>
                {summary.count} {summary.count === 1 ? 'alert' : 'alerts'} summarised
              </span>
              {summary.issue &&
                (url ? (
                  <a href={url} rel="noopener noreferrer" target="_blank">
                    summary issue #{summary.issue.number}
                    <span className="visually-hidden"> (opens in a new tab)</span>
                  </a>
                ) : (
                  <span className="mono">summary issue #{summary.issue.number}</span>
                ))}
              {summary.alerts.length > 0 && (
                <details className="attempts">
                  <summary>Alerts listed ({summary.alerts.length})</summary>
                  <ul className="plain">
                    {summary.alerts.map((entry) => (
                      <li key={entry} className="mono">
                        {entry}
                      </li>
                    ))}
                  </ul>
                </details>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
