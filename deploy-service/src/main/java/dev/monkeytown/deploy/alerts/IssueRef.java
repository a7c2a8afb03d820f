package dev.monkeytown.deploy.alerts;

import java.time.Instant;

/** A GitHub issue an alert (or an hour's summary) is tracked in. */
public record IssueRef(int number, String url, Instant openedAt) {
}
