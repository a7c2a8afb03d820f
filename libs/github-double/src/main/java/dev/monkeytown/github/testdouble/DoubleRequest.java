package dev.monkeytown.github.testdouble;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/** A request as a route handler sees it; {@code json} is null when there is no body. */
public record DoubleRequest(String method, String path, Map<String, String> query, Map<String, List<String>> headers,
        JsonNode json) {

    public Optional<String> header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                .flatMap(e -> e.getValue().stream().findFirst());
    }
}
