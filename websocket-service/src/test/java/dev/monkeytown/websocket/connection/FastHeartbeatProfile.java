package dev.monkeytown.websocket.connection;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Pings five times a second and gives up after 1.5 s of silence, so a test sees many sweeps in a few seconds. */
public class FastHeartbeatProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "monkeytown.ws.ping-interval", "200ms",
                "monkeytown.ws.pong-timeout", "1500ms");
    }
}
