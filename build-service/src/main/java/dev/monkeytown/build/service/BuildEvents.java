package dev.monkeytown.build.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;

import dev.monkeytown.build.builds.AttemptResult;
import dev.monkeytown.build.builds.Build;
import dev.monkeytown.build.builds.Streak;
import dev.monkeytown.build.builds.StreakKey;
import dev.monkeytown.build.engine.BuildAnnouncer;
import dev.monkeytown.build.engine.BuildEngine;
import dev.monkeytown.build.engine.BuildWatcher;
import dev.monkeytown.events.EventLog;

/**
 * Committed build changes, out: on the event stream ({@code GET /internal/events}; {@code build.*} for websocket-service's
 * {@code builds} topic, {@code alert.*} for {@code alerts}), into the in-memory history, and as metrics. The alert rules
 * (deploy/prometheus/rules/monkeytown.rules.yaml) read {@code monkeytown_build_failure_streak} (≥ 3 critical, 1–2
 * warning) and {@code monkeytown_builds_queued} (> 5 warning, > 20 critical).
 */
@Singleton
public class BuildEvents implements BuildAnnouncer {

    private final EventLog events;
    private final MeterRegistry registry;
    private final BuildHistory history;
    private final BuildWatcher watcher;
    private final Set<StreakKey> streakGauges = ConcurrentHashMap.newKeySet();
    private volatile BuildEngine engine;

    BuildEvents(EventLog events, MeterRegistry registry, BuildHistory history, BuildWatcher watcher) {
        this.watcher = watcher;
        this.events = events;
        this.registry = registry;
        this.history = history;
    }

    /** Gauges read the engine's committed view when scraped, so they are never stale. */
    void watch(BuildEngine watched) {
        this.engine = watched;
        Gauge.builder("monkeytown.builds.queued", watched, e -> e.view().queued())
                .description("Builds waiting for a runner, retrying ones included (alerts: > 5 warning, > 20 critical)")
                .register(registry);
        Gauge.builder("monkeytown.builds.active", watched, e -> e.view().active())
                .description("Builds dispatched or running").register(registry);
        Gauge.builder("monkeytown.builds.today", watched, e -> e.view().today().builds())
                .description("Builds dispatched this UTC day (capacity: 10 a day, at most 15 automatic ones)")
                .register(registry);
    }

    /** One failure-streak gauge per declared pipeline and branch that has had a build end (low cardinality). */
    void watchStreak(StreakKey key) {
        BuildEngine watched = engine;
        if (watched == null || !streakGauges.add(key)) {
            return;
        }
        Gauge.builder("monkeytown.build.failure.streak", watched, e -> {
            Streak streak = e.view().streaks().get(key);
            return streak == null ? 0 : streak.failures();
        }).description("Consecutive failed builds of a pipeline on a branch (1-2 warning, 3+ critical and held)")
                .tag("pipeline", key.pipeline()).tag("branch", key.branch()).register(registry);
    }

    /**
     * The engine names events after states ({@code build.timed_out}, {@code build.still_failing}); the event stream's
     * types are dotted words of lower-case letters, digits and {@code -}, so {@code _} goes out as {@code -}
     * ({@code build.timed-out}, {@code build.still-failing}). Runs on the engine's loop after a commit: a failure here
     * is logged, never thrown into the loop.
     */
    @Override
    public void publish(String type, String subject, Object data) {
        if (data instanceof Build build) {
            history.record(build);
        }
        try {
            events.publish(wireType(type), subject, data);
        } catch (RuntimeException e) {
            Log.errorf(e, "Could not publish %s for %s", type, subject);
        }
    }

    /** Every recorded change, events or not (where the runner has an attempt makes none): the history and the watcher. */
    @Override
    public void recorded(Build build) {
        history.record(build);
        try {
            watcher.changed(build);
        } catch (RuntimeException e) {
            Log.errorf(e, "Could not hand build %s to %s", build.id(), watcher);
        }
    }

    static String wireType(String type) {
        return type.replace('_', '-');
    }

    @Override
    public void attemptEnded(Build build, AttemptResult result) {
        String kind = result instanceof AttemptResult.Failed failed ? failed.failureClass().jsonName() : "none";
        Counter.builder("monkeytown.build.attempts").description("Attempts that ended, by failure class (none: succeeded)")
                .tag("class", kind).register(registry).increment();
    }

    @Override
    public void buildEnded(Build build) {
        Counter.builder("monkeytown.builds").description("Builds that ended, by pipeline and result")
                .tag("pipeline", build.pipeline()).tag("result", build.state().jsonName()).register(registry)
                .increment();
        if (!build.attempts().isEmpty() && build.finishedAt() != null) {
            Instant from = build.attempts().get(0).dispatchedAt();
            Timer.builder("monkeytown.build.duration")
                    .description("Time from the first attempt's dispatch to the build's end, retries included")
                    .tag("pipeline", build.pipeline()).publishPercentileHistogram().register(registry)
                    .record(Duration.between(from, build.finishedAt()).abs());
        }
        watchStreak(build.key());
    }
}
