package dev.monkeytown.websocket.hub;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;

import dev.monkeytown.events.Event;
import dev.monkeytown.events.Gap;
import dev.monkeytown.websocket.WsConfig;
import dev.monkeytown.websocket.WsMetrics;
import dev.monkeytown.websocket.protocol.ServerFrames;
import dev.monkeytown.websocket.upstream.UpstreamEvents;

/** Routes upstream events to their topic and subscribers to topics. */
@ApplicationScoped
public class TopicHub implements UpstreamEvents {

    private final Map<Topic, TopicLog> topics = new EnumMap<>(Topic.class);
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    TopicHub(WsConfig config, ObjectMapper json, WsMetrics metrics) {
        ServerFrames frames = new ServerFrames(json);
        for (Topic topic : Topic.values()) {
            TopicLog log = new TopicLog(topic, config.bufferSize(), frames, metrics::fanoutLatency);
            topics.put(topic, log);
            metrics.watchSubscriptions(topic.wireName(), log, TopicLog::subscriberCount);
        }
    }

    /**
     * Continuity is the producer stream's: every topic of the producer moves to the event's offset, the event's own
     * topic with the event and the others with a known skip, so an offset spent on one topic never looks like a loss
     * on another.
     */
    @Override
    public void event(String producer, Event event) {
        long received = System.nanoTime();
        Topic topic = Topic.of(producer, event.type()).orElse(null);
        if (topic == null && warned.add(producer + " " + event.type())) {
            Log.warnf("Ignoring event type %s from %s: no topic of that producer takes it", event.type(), producer);
        }
        for (Map.Entry<Topic, TopicLog> entry : topics.entrySet()) {
            if (entry.getKey() == topic) {
                entry.getValue().append(event, received);
            } else if (entry.getKey().producer().equals(producer)) {
                entry.getValue().pass(event.epoch(), event.offset());
            }
        }
    }

    @Override
    public void gap(String producer, Gap gap) {
        for (Map.Entry<Topic, TopicLog> entry : topics.entrySet()) {
            if (entry.getKey().producer().equals(producer)) {
                entry.getValue().restart(gap.epoch(), gap.firstOffset() - 1);
            }
        }
    }

    /** @return whether the missed events were replayed ({@code recovered}) */
    public boolean subscribe(Topic topic, Subscriber subscriber, Position resume) {
        return topics.get(topic).subscribe(subscriber, resume);
    }

    public void unsubscribe(Topic topic, Subscriber subscriber) {
        topics.get(topic).unsubscribe(subscriber);
    }

    public Position position(Topic topic) {
        return topics.get(topic).position();
    }
}
