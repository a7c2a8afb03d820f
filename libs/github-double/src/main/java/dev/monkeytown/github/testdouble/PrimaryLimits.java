package dev.monkeytown.github.testdouble;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The primary budgets of the double's one user, one per {@code x-ratelimit-resource}, each with its own limit and
 * window: spending one never touches another, so a client that has spent {@code graphql} can still read over REST.
 * GitHub counts these per user, so every token the double sees shares them.
 */
final class PrimaryLimits {

    private final Map<String, Quota> quotas = new LinkedHashMap<>();

    PrimaryLimits() {
        // GitHub's limits for a user's token, as GET /rate_limit reports them
        add("core", 5000, Duration.ofHours(1));
        add("search", 30, Duration.ofMinutes(1));
        add("graphql", 5000, Duration.ofHours(1));
        add("integration_manifest", 5000, Duration.ofHours(1));
        add("code_search", 10, Duration.ofMinutes(1));
    }

    /** The budget a request to {@code path} spends: GraphQL, search, code search, or core for the rest. */
    synchronized Quota forPath(String path) {
        if (path.equals("/graphql")) {
            return quotas.get("graphql");
        }
        if (path.startsWith("/search/code")) {
            return quotas.get("code_search");
        }
        return quotas.get(path.startsWith("/search/") ? "search" : "core");
    }

    synchronized Quota quota(String resource) {
        Quota quota = quotas.get(resource);
        if (quota == null) {
            throw new IllegalArgumentException("no GitHub rate-limit resource " + resource + "; known: "
                    + quotas.keySet());
        }
        return quota;
    }

    /** A new budget for {@code resource}, starting now; a resource GitHub has but the double did not list is added. */
    synchronized void configure(String resource, int limit, Duration window) {
        Quota existing = quotas.get(resource);
        if (existing == null) {
            add(resource, limit, window);
        } else {
            existing.configure(limit, window);
        }
    }

    /** {@code GET /rate_limit}: every resource, and {@code rate} (core) as GitHub still sends it. */
    synchronized ObjectNode asJson(DoubleClock clock) {
        ObjectNode json = Json.object();
        ObjectNode resources = json.putObject("resources");
        quotas.forEach((name, quota) -> resources.set(name, quota.asJson(clock)));
        json.set("rate", quotas.get("core").asJson(clock));
        return json;
    }

    private void add(String resource, int limit, Duration window) {
        quotas.put(resource, new Quota(resource, limit, window));
    }
}
