package dev.monkeytown.websocket.connection;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Pings five times a second, so a test sees several sweeps in a second or two. */
public class FastHeartbeatProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "monkeytown.ws.ping-interval", "200ms",
                "monkeytown.ws.pong-timeout", "700ms");
    }
}
