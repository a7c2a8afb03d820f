package dev.monkeytown.deploy.api;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import jakarta.ws.rs.BadRequestException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Request bodies read field by field: an unknown or mistyped field is a 400 naming it, so a misspelt {@code "sah"} is
 * never taken for "deploy the branch head".
 */
final class Bodies {

    private Bodies() {
    }

    static JsonNode object(JsonNode body, Set<String> allowed) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        if (!body.isObject()) {
            throw new BadRequestException("the body must be a JSON object with " + new TreeSet<>(allowed));
        }
        body.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                throw new BadRequestException("unknown field '" + name + "'; expected " + new TreeSet<>(allowed));
            }
        });
        return body;
    }

    static Optional<String> text(JsonNode body, String field) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new BadRequestException(field + " must be a non-empty string");
        }
        if (value.asText().length() > 1000) {
            throw new BadRequestException(field + " must be at most 1000 characters");
        }
        return Optional.of(value.asText());
    }
}
