package dev.monkeytown.github;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * One {@link BackoffGate} per GitHub rate-limit resource ({@code x-ratelimit-resource}): GitHub budgets {@code core},
 * {@code graphql} and {@code search} apart, so an exhausted search quota must not hold the state store's ref reads,
 * nor a GraphQL limit the REST calls.
 */
final class BackoffGates {

    static final String CORE = "core";
    static final String GRAPHQL = "graphql";
    static final String SEARCH = "search";
    static final String CODE_SEARCH = "code_search";

    private final URI graphqlUrl;
    private final BiConsumer<String, BackoffGate> onNewGate;
    private final Map<String, BackoffGate> gates = new ConcurrentHashMap<>();

    /** @param onNewGate told of every gate when it is created (metrics), with its resource */
    BackoffGates(URI graphqlUrl, BiConsumer<String, BackoffGate> onNewGate) {
        this.graphqlUrl = graphqlUrl;
        this.onNewGate = onNewGate;
        List.of(CORE, GRAPHQL, SEARCH).forEach(this::gate);
    }

    /** The resource GitHub counts a request against, from what it asks for; decided here only. */
    String resourceOf(ApiRequest request) {
        if (request.uri().equals(graphqlUrl)) {
            return GRAPHQL;
        }
        String path = request.uri().getPath();
        if (path.contains("/search/code")) {
            return CODE_SEARCH;
        }
        return path.contains("/search/") ? SEARCH : CORE;
    }

    BackoffGate gateFor(ApiRequest request) {
        return gate(resourceOf(request));
    }

    BackoffGate gate(String resource) {
        return gates.computeIfAbsent(resource, name -> {
            BackoffGate gate = new BackoffGate();
            onNewGate.accept(name, gate);
            return gate;
        });
    }
}
