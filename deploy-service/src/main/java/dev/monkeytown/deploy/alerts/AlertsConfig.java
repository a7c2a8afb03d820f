package dev.monkeytown.deploy.alerts;

import java.time.Duration;

import jakarta.validation.constraints.Min;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The alert receiver ({@code POST /internal/alerts}). */
@ConfigMapping(prefix = "monkeytown.alerts")
public interface AlertsConfig {

    /**
     * Most alert issues opened on GitHub in any hour; beyond it alerts are listed in one summary issue per hour. An
     * alert costs up to four content-creating requests in its life (create, comment, close, and its share of a state
     * commit), so 10 keeps alerts under a tenth of the 500-an-hour write budget.
     */
    @WithDefault("10")
    @Min(1)
    int issuesPerHour();

    /**
     * How long a resolved alert's record (and an hour's summary) stays on the state branch. A resolve is usually
     * followed by nothing; a record is only needed to recognise a late re-send of the same episode, which Alertmanager
     * stops after its own {@code resolve_timeout} and retention.
     */
    @WithDefault("90d")
    Duration keepResolved();

    /** The label every alert issue carries; the receiver lists open issues by it. */
    @WithDefault("monkeytown-alert")
    String label();
}
