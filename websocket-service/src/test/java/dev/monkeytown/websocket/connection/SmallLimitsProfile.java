package dev.monkeytown.websocket.connection;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Limits small enough that a test reaches them quickly. */
public class SmallLimitsProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "monkeytown.ws.buffer-size", "50",
                "monkeytown.ws.max-pending-frames", "16",
                "monkeytown.ws.max-frames-per-second", "30");
    }
}
