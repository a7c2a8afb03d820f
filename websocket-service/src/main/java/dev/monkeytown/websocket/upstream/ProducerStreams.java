package dev.monkeytown.websocket.upstream;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

import dev.monkeytown.events.Event;
import dev.monkeytown.events.Gap;
import dev.monkeytown.events.client.EventStreamClient;
import dev.monkeytown.events.client.EventStreamListener;
import dev.monkeytown.events.client.EventStreamSettings;
import dev.monkeytown.kit.security.InternalToken;
import dev.monkeytown.websocket.hub.Topic;

/**
 * Subscribes to every producer's event stream, each on its own resuming client, and feeds what arrives into the hub.
 * Every websocket-service replica does this independently, so the service scales out by adding pods. A producer that is
 * down is retried with back-off; a restart or a hole reaches browsers as {@code recovered: false}.
 */
@Singleton
public class ProducerStreams {

    private final Vertx vertx;
    private final ObjectMapper json;
    private final InternalToken token;
    private final ProducersConfig config;
    private final UpstreamEvents hub;
    private final UpstreamLinks links;
    private final List<EventStreamClient> clients = new ArrayList<>();

    ProducerStreams(Vertx vertx, ObjectMapper json, InternalToken token, ProducersConfig config, UpstreamEvents hub,
            UpstreamLinks links) {
        this.vertx = vertx;
        this.json = json;
        this.token = token;
        this.config = config;
        this.hub = hub;
        this.links = links;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            Log.info("Producer streams are off (monkeytown.ws.upstream.enabled=false)");
            return;
        }
        TreeSet<String> producers = new TreeSet<>();
        for (Topic topic : Topic.values()) {
            producers.add(topic.producer());
        }
        for (String producer : producers) {
            ProducersConfig.Producer where = config.producers().get(producer);
            if (where == null) {
                Log.warnf("No URL for producer %s (monkeytown.ws.upstream.producers.%s.url): its topics stay empty", producer,
                        producer);
                continue;
            }
            links.follow(producer);
            EventStreamClient client = new EventStreamClient(vertx, where.url().toString(),
                    token.value().orElse(""), listenerFor(producer), EventStreamSettings.defaults(), json);
            clients.add(client);
            client.start();
        }
        Log.infof("Following the event streams of %s", producers);
    }

    private EventStreamListener listenerFor(String producer) {
        return new EventStreamListener() {
            @Override
            public void onConnected(String epoch) {
                links.opened(producer, epoch);
            }

            @Override
            public void onDisconnected(Throwable cause) {
                links.closed(producer, "reconnecting after: ", cause);
            }

            @Override
            public void onUnavailable(Throwable cause) {
                links.closed(producer, "unavailable: ", cause);
            }

            @Override
            public void onEvent(Event event) {
                hub.event(producer, event);
            }

            @Override
            public void onGap(Gap gap) {
                hub.gap(producer, gap);
            }
        };
    }

    @PreDestroy
    void close() {
        clients.forEach(EventStreamClient::close);
    }
}
