package dev.monkeytown.websocket.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.monkeytown.events.Event;
import dev.monkeytown.websocket.hub.Position;
import dev.monkeytown.websocket.hub.Topic;

/** The JSON text of every frame the server sends. Each event frame is built once and shared by all its receivers. */
public final class ServerFrames {

    private final ObjectMapper json;

    public ServerFrames(ObjectMapper json) {
        this.json = json;
    }

    public String subscribed(Topic topic, Position position, boolean recovered) {
        ObjectNode frame = json.createObjectNode()
                .put("type", "subscribed")
                .put("topic", topic.wireName())
                .put("epoch", position.epoch())
                .put("offset", position.offset())
                .put("recovered", recovered);
        return write(frame);
    }

    public String unsubscribed(Topic topic) {
        return write(json.createObjectNode().put("type", "unsubscribed").put("topic", topic.wireName()));
    }

    public String event(Topic topic, Event event) {
        ObjectNode frame = json.createObjectNode()
                .put("type", "event")
                .put("topic", topic.wireName())
                .put("epoch", event.epoch())
                .put("offset", event.offset())
                .put("event", event.type())
                .put("subject", event.subject())
                .put("time", event.time() == null ? null : event.time().toString());
        frame.set("data", event.data());
        return write(frame);
    }

    public String error(ProtocolException problem) {
        ObjectNode frame = json.createObjectNode()
                .put("type", "error")
                .put("code", problem.code())
                .put("message", problem.getMessage());
        if (problem.topic() != null) {
            frame.put("topic", problem.topic());
        }
        return write(frame);
    }

    private String write(ObjectNode frame) {
        try {
            return json.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a frame built from JSON nodes", e);
        }
    }
}
