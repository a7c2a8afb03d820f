package dev.monkeytown.github;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/** A GraphQL answer: GitHub reports most failures (stale head, bad input) as {@code errors} with HTTP 200. */
public record GraphQlResult(JsonNode data, List<JsonNode> errors) {

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** The first error of the given {@code type} (e.g. {@code STALE_DATA}). */
    public Optional<JsonNode> error(String type) {
        return errors.stream().filter(e -> type.equals(e.path("type").asText())).findFirst();
    }

    public String errorMessages() {
        return String.join("; ", errors.stream().map(e -> e.path("message").asText()).toList());
    }
}
