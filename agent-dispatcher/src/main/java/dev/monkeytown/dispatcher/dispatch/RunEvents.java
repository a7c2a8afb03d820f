package dev.monkeytown.dispatcher.dispatch;

import java.time.Duration;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.monkeytown.dispatcher.queue.AgentRun;
import dev.monkeytown.dispatcher.queue.Trigger;
import dev.monkeytown.dispatcher.runs.RunRecord;
import dev.monkeytown.dispatcher.runs.RunView;
import dev.monkeytown.events.EventLog;

/**
 * Publishes committed run changes on the service's event stream ({@code GET /internal/events}) and keeps the run
 * metrics: the spec's queue-depth alert reads {@code monkeytown_runs_queued}, warning above 10 and critical above 50.
 */
@Singleton
public class RunEvents implements RunAnnouncer {

    private final EventLog events;
    private final MeterRegistry registry;

    RunEvents(EventLog events, MeterRegistry registry) {
        this.events = events;
        this.registry = registry;
    }

    /** Queue depth and active runs are read from the dispatcher when scraped, so they are never stale. */
    void watch(Dispatcher dispatcher) {
        Gauge.builder("monkeytown.runs.queued", dispatcher, Dispatcher::queuedCount)
                .description("Runs waiting to be dispatched (alerts: > 10 warning, > 50 critical)")
                .register(registry);
        Gauge.builder("monkeytown.runs.active", dispatcher, Dispatcher::activeCount)
                .description("Runs dispatched or running").register(registry);
        Gauge.builder("monkeytown.dispatch.paused", dispatcher, d -> d.pausedBecause().isPresent() ? 1 : 0)
                .description("1 while dispatching is paused because the runner or the state store is unreachable")
                .register(registry);
    }

    @Override
    public void announce(String type, RunRecord record) {
        events.publish(type, record.id(), RunView.of(record));
        AgentRun run = record.run();
        switch (run.state()) {
            case QUEUED -> Counter.builder("monkeytown.runs.requested").description("Runs queued, by agent and trigger")
                    .tag("agent", run.agent()).tag("trigger", triggerName(run)).register(registry).increment();
            case DISPATCHED -> {
                if ("run.dispatched".equals(type)) {
                    Timer.builder("monkeytown.run.queued.time").description("Time from queued to dispatched")
                            .tag("agent", run.agent()).publishPercentileHistogram().register(registry)
                            .record(Duration.between(run.queuedAt(), run.dispatchedAt()));
                }
            }
            case RUNNING -> Counter.builder("monkeytown.runs.started").description("Runs whose agent began executing")
                    .tag("agent", run.agent()).register(registry).increment();
            case SUCCEEDED, FAILED, CANCELLED, TIMED_OUT -> completed(type, run);
        }
    }

    @Override
    public void dispatchLatency(String agent, Duration took) {
        Timer.builder("monkeytown.run.dispatch.latency").description("Time the runner took to accept a run")
                .tag("agent", agent).publishPercentileHistogram().register(registry).record(took);
    }

    private void completed(String type, AgentRun run) {
        String result = run.state().jsonName();
        Counter.builder("monkeytown.runs.completed").description("Runs that ended, by agent and result")
                .tag("agent", run.agent()).tag("result", result).register(registry).increment();
        if (run.dispatchedAt() != null) {
            java.time.Instant from = run.startedAt() != null ? run.startedAt() : run.dispatchedAt();
            Timer.builder("monkeytown.run.duration").description("Run time from start (or dispatch) to the end")
                    .tag("agent", run.agent()).tag("result", result).publishPercentileHistogram().register(registry)
                    .record(Duration.between(from, run.finishedAt()).abs());
        }
    }

    /** The trigger's wire name, as in the run JSON; by type, so renaming a class cannot silently change a tag. */
    private static String triggerName(AgentRun run) {
        if (run.trigger() instanceof Trigger.Manual) {
            return "manual";
        }
        return run.trigger() instanceof Trigger.Scheduled ? "scheduled" : "on_change";
    }
}
