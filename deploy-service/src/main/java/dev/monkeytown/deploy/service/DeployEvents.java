package dev.monkeytown.deploy.service;

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

import dev.monkeytown.deploy.deployments.Deployment;
import dev.monkeytown.deploy.engine.DeployAnnouncer;
import dev.monkeytown.deploy.engine.DeployEngine;
import dev.monkeytown.events.EventLog;

/**
 * Committed deployment changes, out: on the event stream ({@code GET /internal/events}; {@code deployment.*} for
 * websocket-service's {@code deployments} topic, {@code alert.raised} for {@code alerts}) and as metrics.
 */
@Singleton
public class DeployEvents implements DeployAnnouncer {

    static final Duration WEEK = Duration.ofDays(7);
    static final Duration MONTH = Duration.ofDays(30);

    private final EventLog events;
    private final MeterRegistry registry;
    private final Set<String> watched = ConcurrentHashMap.newKeySet();
    private volatile DeployEngine engine;

    DeployEvents(EventLog events, MeterRegistry registry) {
        this.events = events;
        this.registry = registry;
    }

    void watch(DeployEngine watchedEngine) {
        this.engine = watchedEngine;
        Gauge.builder("monkeytown.environments.paused", watchedEngine,
                e -> e.view().statuses().values().stream().filter(s -> s.isPaused()).count())
                .description("Environments whose automatic deploys are paused (after a revert, a failed revert or by"
                        + " an operator)")
                .register(registry);
    }

    /** Success-rate gauges of one declared environment (NaN while nothing ran to an end in the window). */
    void watchEnvironment(String environment) {
        DeployEngine current = engine;
        if (current == null || !watched.add(environment)) {
            return;
        }
        for (Duration window : new Duration[]{WEEK, MONTH}) {
            Gauge.builder("monkeytown.deploy.success.rate", current,
                    e -> e.view().ledger(environment).successRate(Instant.now().minus(window)).orElse(Double.NaN))
                    .description("Deployments that passed health over those that ran to an end in the window")
                    .tag("environment", environment).tag("window", window.toDays() + "d").register(registry);
        }
    }

    @Override
    public void publish(String type, String subject, Object data) {
        try {
            events.publish(type, subject, data);
        } catch (RuntimeException e) {
            Log.errorf(e, "Could not publish %s for %s", type, subject);
        }
    }

    @Override
    public void ended(Deployment deployment) {
        Counter.builder("monkeytown.deployments").description("Deployments that ran to an end, by result")
                .tag("environment", deployment.environment()).tag("kind", deployment.kind().jsonName())
                .tag("result", deployment.state().jsonName()).register(registry).increment();
        if (deployment.startedAt() != null && deployment.finishedAt() != null) {
            Timer.builder("monkeytown.deploy.duration")
                    .description("Time from a deployment's start to its end, health check included")
                    .tag("environment", deployment.environment()).register(registry)
                    .record(Duration.between(deployment.startedAt(), deployment.finishedAt()).abs());
        }
    }

    @Override
    public void restored(Deployment revert, Duration restore) {
        Timer.builder("monkeytown.deploy.time.to.restore")
                .description("Time from a failed deployment's end to its revert passing health (spec RTO: 1 h)")
                .tag("environment", revert.environment()).register(registry).record(restore.abs());
    }
}
