package dev.monkeytown.deploy.alerts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.monkeytown.deploy.alerts.AlertRecord.Effect;
import dev.monkeytown.deploy.alerts.AlertRules.Decision;
import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.Document;
import dev.monkeytown.state.StateBranch;
import dev.monkeytown.state.Workspace;

/**
 * Handles Alertmanager's notifications, one at a time: for each alert, decide from its record ({@link AlertRules}),
 * do what GitHub needs (find the issue by its marker, open one under the hourly cap or list it in the hour's summary,
 * comment and close), then record the outcome of the whole notification in one state commit — a constant write cost
 * per notification whatever the number of alerts.
 * <p>
 * Why it is safe to be killed anywhere: a GitHub write not yet recorded is found again by its marker when Alertmanager
 * re-sends (it does until it gets a 2xx), so an issue is never opened twice; a record is only written after GitHub
 * answered; what was done before a failure is still recorded before the delivery fails.
 * <p>
 * Records do not pile up: at most once an hour, a notification's commit also removes the alerts resolved longer ago than
 * the retention and the summaries of hours that long gone ({@link ResolvedAlerts}); that costs no commit of its own.
 */
public final class AlertDesk {

    /** What a notification changed. */
    public record Outcome(int alerts, int recorded) {
    }

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Pruning reads every record; once an hour is often enough for a retention counted in days. */
    private static final Duration PRUNE_EVERY = Duration.ofHours(1);
    static final DateTimeFormatter WINDOW = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH").withZone(ZoneOffset.UTC);

    private final StateBranch branch;
    private final IssueTracker issues;
    private final IssueBudget budget;
    private final int perHour;
    private final AlertMetrics metrics;
    private final ObjectMapper json;
    private final Clock clock;
    private final Actor actor;
    private final ResolvedAlerts resolved;
    private boolean seeded;
    private Instant prunedAt = Instant.MIN;

    public AlertDesk(StateBranch branch, IssueTracker issues, int issuesPerHour, AlertMetrics metrics,
            ObjectMapper json, Duration keepResolved, Clock clock) {
        this.branch = branch;
        this.issues = issues;
        this.budget = new IssueBudget(issuesPerHour);
        this.perHour = issuesPerHour;
        this.metrics = metrics;
        this.json = json;
        this.clock = clock;
        this.actor = Actor.service(branch.service());
        this.resolved = new ResolvedAlerts(keepResolved, json);
    }

    /** One step decided and done outside the branch, waiting to be recorded. */
    private record Step(AlertEvent event, Effect effect, IssueRef summaryIssue) {
    }

    public synchronized Outcome receive(List<AlertEvent> events) throws IOException {
        seedBudget();
        List<Step> steps = new ArrayList<>();
        Map<String, IssueRef> summaryIssues = new HashMap<>();
        try {
            for (AlertEvent event : events) {
                handle(event, summaryIssues).ifPresent(steps::add);
            }
        } finally {
            // what GitHub already did is recorded even when a later alert failed
            record(steps);
        }
        return new Outcome(events.size(), steps.size());
    }

    private Optional<Step> handle(AlertEvent event, Map<String, IssueRef> summaryIssues) throws IOException {
        Optional<AlertRecord> current = read(AlertRecord.path(event.fingerprint()), AlertRecord.class);
        Decision decision = AlertRules.decide(current, event, issues.tracksIssues());
        if (decision instanceof Decision.Nothing) {
            return Optional.empty();
        }
        if (decision instanceof Decision.RecordOnly) {
            return Optional.of(new Step(event, new Effect.None(), null));
        }
        if (decision instanceof Decision.Close close) {
            return Optional.of(new Step(event, close(event, close.issue()), null));
        }
        return open(event, current, summaryIssues);
    }

    private Optional<Step> open(AlertEvent event, Optional<AlertRecord> current, Map<String, IssueRef> summaryIssues)
            throws IOException {
        String marker = AlertIssueText.marker(event.fingerprint());
        // before creating anything: an issue opened by an attempt that was killed or lost its answer
        Optional<IssueRef> existing = issues.findOpen(marker);
        if (existing.isPresent()) {
            return Optional.of(new Step(event, new Effect.Tracked(existing.get()), null));
        }
        Instant now = clock.instant();
        if (budget.tryTake(now)) {
            IssueRef opened;
            try {
                opened = issues.open(marker, AlertIssueText.title(event), AlertIssueText.body(event));
            } catch (IOException | RuntimeException e) {
                // not opened, or not known to be: the re-send finds it by its marker if it was; either way the slot
                // must not be spent, or retries of one refused alert would use up the hour's cap
                budget.giveBack(now);
                throw e;
            }
            metrics.issue("opened");
            return Optional.of(new Step(event, new Effect.Tracked(opened), null));
        }
        String window = WINDOW.format(now);
        if (current.filter(r -> window.equals(r.summarisedIn()) && r.startsAt().equals(event.startsAt()))
                .isPresent()) {
            return Optional.empty(); // already in this hour's summary; its own issue waits for a later re-send
        }
        IssueRef summary = summaryIssues.get(window);
        if (summary == null) {
            summary = read(AlertSummary.path(window), AlertSummary.class).map(AlertSummary::issue).orElse(null);
        }
        if (summary == null) {
            String summaryMarker = AlertIssueText.summaryMarker(window);
            Optional<IssueRef> found = issues.findOpen(summaryMarker);
            summary = found.isPresent()
                    ? found.get()
                    : issues.open(summaryMarker, AlertIssueText.summaryTitle(window),
                            AlertIssueText.summaryBody(window, perHour, event));
        }
        summaryIssues.put(window, summary);
        metrics.issue("summarised");
        return Optional.of(new Step(event, new Effect.Summarised(window), summary));
    }

    private Effect close(AlertEvent event, Optional<IssueRef> recorded) throws IOException {
        if (!issues.tracksIssues()) {
            return new Effect.None();
        }
        // an issue opened by an attempt killed before recording it is found by its marker
        Optional<IssueRef> issue = recorded.isPresent()
                ? recorded
                : issues.findOpen(AlertIssueText.marker(event.fingerprint()));
        if (issue.isEmpty()) {
            return new Effect.None(); // summarised only: nothing of its own to close
        }
        issues.close(issue.get(), AlertIssueText.resolved(event));
        metrics.issue("closed");
        return new Effect.Closed(issue.get());
    }

    private void record(List<Step> steps) {
        if (steps.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        String message = steps.size() == 1
                ? "alert " + steps.get(0).event().name() + " " + steps.get(0).event().fingerprint() + " "
                        + steps.get(0).event().status().jsonName()
                : steps.size() + " alerts from one Alertmanager notification";
        boolean prune = prunedAt.isBefore(now.minus(PRUNE_EVERY));
        branch.apply(new Change(message, actor, workspace -> {
            if (prune) {
                resolved.prune(workspace, now);
            }
            for (Step step : steps) {
                String path = AlertRecord.path(step.event().fingerprint());
                Optional<AlertRecord> current = parse(workspace, path, AlertRecord.class);
                put(workspace, path, AlertRecord.next(current, step.event(), step.effect(), now));
                if (step.effect() instanceof Effect.Summarised summarised) {
                    String summaryPath = AlertSummary.path(summarised.window());
                    AlertSummary summary = parse(workspace, summaryPath, AlertSummary.class)
                            .orElse(AlertSummary.empty(summarised.window()));
                    put(workspace, summaryPath, summary.with(step.event(), step.summaryIssue()));
                }
            }
        })).await().atMost(WAIT);
        if (prune) {
            prunedAt = now;
        }
    }

    /** The cap counts the issues recorded in the last hour, so a restart does not hand out a fresh hour. */
    private void seedBudget() {
        if (seeded) {
            return;
        }
        Instant hourAgo = clock.instant().minus(Duration.ofHours(1));
        List<Instant> opened = new ArrayList<>();
        for (Document document : branch.list("alerts/").await().atMost(WAIT)) {
            try {
                IssueRef issue = json.readValue(document.content(), AlertRecord.class).issue();
                if (issue != null && issue.openedAt().isAfter(hourAgo)) {
                    opened.add(issue.openedAt());
                }
            } catch (IOException e) {
                // an unreadable record counts for nothing here; the listing API names it
            }
        }
        budget.seed(opened);
        seeded = true;
    }

    private <T> Optional<T> read(String path, Class<T> type) {
        return branch.read(path).await().atMost(WAIT).map(d -> parse(d, type));
    }

    private <T> Optional<T> parse(Workspace workspace, String path, Class<T> type) {
        return workspace.read(path).map(d -> parse(d, type));
    }

    private <T> T parse(Document document, Class<T> type) {
        try {
            return json.readValue(document.content(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable " + document.path(), e);
        }
    }

    private void put(Workspace workspace, String path, Object value) {
        try {
            workspace.put(path, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
