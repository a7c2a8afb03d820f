package dev.monkeytown.websocket.connection;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

public class GatewayUsersOnlyProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("monkeytown.ws.anonymous", "false");
    }
}
