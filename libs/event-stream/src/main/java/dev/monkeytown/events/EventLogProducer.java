package dev.monkeytown.events;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;

/**
 * Gives the service its one event log, created at start so the epoch and metrics exist before the first event, and the
 * one timer that sends heartbeats on its quiet streams.
 */
@Singleton
public class EventLogProducer {

    private long heartbeatTimer = -1;

    @Produces
    @Singleton
    @Startup
    EventLog eventLog(EventsConfig config, ObjectMapper json, MeterRegistry registry, Vertx vertx) {
        EventMetrics metrics = new EventMetrics(registry);
        // Quarkus points Mutiny's default pool at its worker threads, so deliveries never run on the event loop
        EventLog log = new EventLog(new EventLogSettings(config.capacity(), config.subscriberBuffer()), json,
                Infrastructure.getDefaultWorkerPool(), Clock.systemUTC(), metrics);
        metrics.watch(log);
        Duration interval = config.heartbeatInterval();
        // one timer for all streams rather than one per stream; checking four times per interval keeps the longest
        // silence on a quiet stream under 1.25 intervals. The tick only flags quiet subscriptions: each one's own
        // delivery writes the ping, in turn with its events.
        heartbeatTimer = vertx.setPeriodic(Math.max(1, interval.toMillis() / 4), id -> log.pingIdle(interval));
        Log.infof("Event log epoch %s keeps %d events, %d per subscriber; heartbeat after %s quiet", log.epoch(),
                log.capacity(), log.subscriberBuffer(), interval);
        return log;
    }

    void stopHeartbeats(@Disposes EventLog log, Vertx vertx) {
        vertx.cancelTimer(heartbeatTimer);
    }
}
