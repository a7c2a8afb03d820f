package dev.monkeytown.github;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A GraphQL answer: GitHub reports most failures (stale head, bad input, its own rate limit, timeouts) as
 * {@code errors} with HTTP 200. {@link #outcome()} is the one reading of those errors; callers decide from it.
 */
public record GraphQlResult(JsonNode data, List<JsonNode> errors) {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How GitHub words a query it gave up executing; newer answers may also carry type {@code TIMEOUT}. */
    private static final String GAVE_UP = "Something went wrong while executing your query";

    /** What a GraphQL answer means for the caller, from its {@code errors}. */
    public enum Outcome {
        /** No errors. */
        OK,
        /** {@code STALE_DATA}: an expectation such as {@code expectedHeadOid} no longer holds (the head moved). */
        STALE_DATA,
        /** {@code NOT_FOUND}: something the operation names does not exist (a repository, a branch). */
        NOT_FOUND,
        /**
         * GitHub gave up executing (a timeout, or its own bug): ambiguous, a mutation may or may not have been applied,
         * so the caller settles it by reading back before anything else.
         */
        TIMEOUT,
        /**
         * GitHub's primary rate limit for GraphQL: nothing was executed. The client waits out the window and repeats
         * the request itself, so callers only see this when the window ends past their bounded wait.
         */
        RATE_LIMITED,
        /** Anything else (validation, permissions, unknown types): not applied, and repeating it will not help. */
        REFUSED
    }

    static GraphQlResult parse(byte[] body) throws IOException {
        JsonNode json = JSON.readTree(body);
        List<JsonNode> errors = new ArrayList<>();
        json.path("errors").forEach(errors::add);
        return new GraphQlResult(json.path("data"), List.copyOf(errors));
    }

    /**
     * A GraphQL answer with a 502 or 504 status whose body is GitHub's "Something went wrong while executing your query"
     * (how GitHub often reports a query it gave up after its 10 s): the verdict on this query, not an outage — the same
     * query would be given up again, so it is answered to the caller as {@link Outcome#TIMEOUT} instead of repeated.
     */
    static Optional<GraphQlResult> gaveUp(ApiResponse response) {
        if (response.status() != 502 && response.status() != 504) {
            return Optional.empty();
        }
        try {
            GraphQlResult result = parse(response.body());
            return result.errors().stream().anyMatch(GraphQlResult::isTimeout) ? Optional.of(result) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // an HTML error page from a proxy: an outage after all
        }
    }

    /**
     * The classification of this answer. With several errors the one that constrains the caller most wins: nothing ran
     * (rate limit) before "may have run" (timeout) before the refusals.
     */
    public Outcome outcome() {
        if (errors.isEmpty()) {
            return Outcome.OK;
        }
        // GitHub documents RATE_LIMITED and has also been seen sending RATE_LIMIT
        if (error("RATE_LIMITED").isPresent() || error("RATE_LIMIT").isPresent()) {
            return Outcome.RATE_LIMITED;
        }
        if (errors.stream().anyMatch(GraphQlResult::isTimeout)) {
            return Outcome.TIMEOUT;
        }
        if (error("STALE_DATA").isPresent()) {
            return Outcome.STALE_DATA;
        }
        if (error("NOT_FOUND").isPresent()) {
            return Outcome.NOT_FOUND;
        }
        return Outcome.REFUSED;
    }

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

    private static boolean isTimeout(JsonNode error) {
        return "TIMEOUT".equals(error.path("type").asText()) || error.path("message").asText().contains(GAVE_UP);
    }
}
