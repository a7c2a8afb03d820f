// The shapes deploy-service's alert receiver serves at GET /api/v1/alerts (alerts/AlertsResource.AlertList,
// AlertRecord, AlertSummary, IssueRef): every alert Alertmanager sent it, most recently changed first, and the hourly
// summaries of alert storms. Absent fields are left out of the JSON (@JsonInclude NON_NULL).

export type AlertStatus = 'firing' | 'resolved';

export interface IssueRef {
  number: number;
  /** the issue's html_url on GitHub */
  url: string;
  openedAt?: string;
}

export interface AlertTransition {
  what: string;
  status: AlertStatus;
  startsAt?: string;
  endsAt?: string;
  at: string;
  issue?: number;
}

export interface AlertRecord {
  fingerprint: string;
  alertname: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  generatorUrl?: string;
  status: AlertStatus;
  startsAt: string;
  endsAt?: string;
  /** GitHub mode: the issue tracking this episode */
  issue?: IssueRef;
  /** the hour (`2026-12-06T22`) whose summary issue lists it, when the hourly cap kept it from its own */
  summarisedIn?: string;
  updatedAt: string;
  history?: AlertTransition[];
  revision: number;
}

export interface AlertSummary {
  /** the UTC hour, `2026-12-06T22` */
  window: string;
  issue?: IssueRef;
  /** `<alertname> <fingerprint>`, up to 200 */
  alerts: string[];
  /** every alert summarised in the hour, even past the ones listed */
  count: number;
  revision: number;
}

export interface AlertList {
  alerts: AlertRecord[];
  summaries: AlertSummary[];
}

export const ALERTS = '/api/v1/alerts';
/** the overview's count: firing alerts only (the summaries come along) */
export const FIRING_ALERTS = '/api/v1/alerts?status=firing';

const GITHUB_ISSUE = /^https:\/\/github\.com\/([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)\/issues\/\d+$/;
const DOCS_PAGE = /^docs\/(?:[A-Za-z0-9_-]+\/)*[A-Za-z0-9_-]+\.md(?:#[A-Za-z0-9_-]+)?$/;

/** A GitHub issue URL, only when it is one (the link is followed from the dashboard's origin). */
export function safeIssueUrl(issue: IssueRef | undefined): string | null {
  return issue && GITHUB_ISSUE.test(issue.url) ? issue.url : null;
}

/**
 * The runbook annotation (`docs/operations.md#sitedown`) as a link to that page of the repository the alert issues live
 * in — the Monkeytown repository, named by an issue's URL. The dashboard serves no docs itself, so without an issue
 * (local mode) or for anything but a plain relative docs path there is no safe link: null, and the page shows the text.
 */
export function runbookUrl(runbook: string | undefined, issues: readonly (IssueRef | undefined)[]): string | null {
  if (!runbook || !DOCS_PAGE.test(runbook)) return null;
  for (const issue of issues) {
    const match = issue && GITHUB_ISSUE.exec(issue.url);
    if (match) return `https://github.com/${match[1]}/${match[2]}/blob/HEAD/${runbook}`;
  }
  return null;
}
