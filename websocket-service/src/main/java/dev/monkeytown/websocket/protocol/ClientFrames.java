package dev.monkeytown.websocket.protocol;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.monkeytown.websocket.hub.Position;
import dev.monkeytown.websocket.hub.Topic;

/** Reads client frames; every rejection names what to fix and never echoes the frame. */
public final class ClientFrames {

    private final ObjectMapper json;

    public ClientFrames(ObjectMapper json) {
        this.json = json;
    }

    public ClientFrame parse(String text) throws ProtocolException {
        JsonNode frame;
        try {
            frame = json.readTree(text);
        } catch (IOException e) {
            frame = null;
        }
        if (frame == null || !frame.isObject()) {
            throw new ProtocolException(ProtocolException.MALFORMED_JSON, "a frame must be one JSON object", null);
        }
        String type = frame.path("type").asText(null);
        if (!"subscribe".equals(type) && !"unsubscribe".equals(type)) {
            throw new ProtocolException(ProtocolException.UNKNOWN_TYPE,
                    "type must be \"subscribe\" or \"unsubscribe\"", null);
        }
        JsonNode topicName = frame.path("topic");
        Topic topic = topicName.isTextual() ? Topic.named(topicName.asText()).orElse(null) : null;
        if (topic == null) {
            String known = String.join(", ", java.util.Arrays.stream(Topic.values()).map(Topic::wireName).toList());
            throw new ProtocolException(ProtocolException.UNKNOWN_TOPIC, "topic must be one of: " + known,
                    topicName.isTextual() && topicName.asText().length() <= 64 ? topicName.asText() : null);
        }
        if ("unsubscribe".equals(type)) {
            return new ClientFrame.Unsubscribe(topic);
        }
        return new ClientFrame.Subscribe(topic, resumePosition(frame, topic));
    }

    private static Position resumePosition(JsonNode frame, Topic topic) throws ProtocolException {
        JsonNode epoch = frame.path("epoch");
        JsonNode offset = frame.path("offset");
        boolean hasEpoch = !epoch.isMissingNode() && !epoch.isNull();
        boolean hasOffset = !offset.isMissingNode() && !offset.isNull();
        if (!hasEpoch && !hasOffset) {
            return null;
        }
        if (!hasEpoch || !hasOffset || !epoch.isTextual() || !offset.canConvertToLong() || !offset.isIntegralNumber()
                || offset.asLong() < 0) {
            throw new ProtocolException(ProtocolException.BAD_POSITION,
                    "to resume give both epoch (a string) and offset (a number >= 0) from your last event",
                    topic.wireName());
        }
        return new Position(epoch.asText(), offset.asLong());
    }
}
