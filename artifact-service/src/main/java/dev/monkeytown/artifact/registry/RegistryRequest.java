package dev.monkeytown.artifact.registry;

import java.io.InputStream;
import java.util.Optional;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;

import dev.monkeytown.artifact.access.Caller;

/** What a {@code /v2/} endpoint gets of a request: the caller, the headers, the query and the body, if any. */
public record RegistryRequest(Caller caller, HttpHeaders headers, MultivaluedMap<String, String> query,
        InputStream body) {

    public Optional<String> param(String name) {
        return Optional.ofNullable(query.getFirst(name));
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.getHeaderString(name));
    }

    /** The declared body length, if the client declared one. */
    public Optional<Long> contentLength() {
        return header(HttpHeaders.CONTENT_LENGTH).flatMap(value -> {
            try {
                return Optional.of(Long.parseLong(value.trim()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }
}
