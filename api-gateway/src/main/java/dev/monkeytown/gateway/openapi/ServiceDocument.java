package dev.monkeytown.gateway.openapi;

import io.vertx.core.json.JsonObject;

/** What one service's {@code /q/openapi} gave: its document, or why there is none. */
sealed interface ServiceDocument {

    String service();

    record Fetched(String service, JsonObject document) implements ServiceDocument {
    }

    record Unavailable(String service, String reason) implements ServiceDocument {
    }
}
