package dev.monkeytown.events;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/** Gives the service its one event log, created at start so the epoch and metrics exist before the first event. */
@Singleton
public class EventLogProducer {

    @Produces
    @Singleton
    @Startup
    EventLog eventLog(EventsConfig config, ObjectMapper json, MeterRegistry registry) {
        EventMetrics metrics = new EventMetrics(registry);
        // Quarkus points Mutiny's default pool at its worker threads, so deliveries never run on the event loop
        EventLog log = new EventLog(new EventLogSettings(config.capacity(), config.subscriberBuffer()), json,
                Infrastructure.getDefaultWorkerPool(), Clock.systemUTC(), metrics);
        metrics.watch(log);
        Log.infof("Event log epoch %s keeps %d events, %d per subscriber", log.epoch(), log.capacity(),
                log.subscriberBuffer());
        return log;
    }
}
