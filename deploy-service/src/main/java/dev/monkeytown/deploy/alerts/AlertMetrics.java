package dev.monkeytown.deploy.alerts;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** What the alert receiver did, counted: Alertmanager's deliveries by outcome, and the issues it opened and closed. */
@Singleton
public class AlertMetrics {

    private final MeterRegistry registry;

    public AlertMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * @param outcome {@code accepted} (2xx), {@code invalid} (400: not Alertmanager's JSON), {@code refused} (401: no
     *        or a wrong internal token), {@code failed} (503: GitHub or the state store unavailable; Alertmanager
     *        retries)
     */
    public void delivery(String outcome) {
        Counter.builder("monkeytown.alerts.deliveries")
                .description("Alertmanager notifications to POST /internal/alerts, by outcome")
                .tag("outcome", outcome).register(registry).increment();
    }

    /** @param action {@code opened}, {@code closed} or {@code summarised} (over the hourly cap) */
    public void issue(String action) {
        Counter.builder("monkeytown.alerts.issues")
                .description("Alert issues opened and closed on GitHub, and alerts summarised over the hourly cap")
                .tag("action", action).register(registry).increment();
    }
}
