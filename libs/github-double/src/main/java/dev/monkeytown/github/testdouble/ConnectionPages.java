package dev.monkeytown.github.testdouble;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import graphql.schema.DataFetchingEnvironment;

/**
 * GitHub's rules for paging a connection forward ({@code first}, {@code after}): {@code first} is required and at most
 * 100, cursors are opaque. A request GitHub refuses is answered with GitHub's error and reported as a violation.
 * Backward paging ({@code last}, {@code before}) is valid on GitHub but not served by the double, so it is reported
 * too rather than answered wrongly.
 */
final class ConnectionPages {

    static final int MAX_FIRST = 100;

    private final Consumer<String> violations;

    ConnectionPages(Consumer<String> violations) {
        this.violations = violations;
    }

    /**
     * The page of {@code all} the arguments select, as a connection (edges, nodes, pageInfo, totalCount), or the
     * error GitHub answers. {@code key} ties cursors to the list they index (e.g. the commit a history starts at).
     */
    Object page(DataFetchingEnvironment env, String connection, String key, List<?> all) {
        if (env.getArgument("last") != null || env.getArgument("before") != null) {
            violations.accept("GraphQL " + connection + "(last/before): valid on GitHub, not served by the double");
            return GitHubGraphQlError.failure(env, "UNSUPPORTED_BY_DOUBLE",
                    "The double pages `" + connection + "` forward only (first/after).");
        }
        Integer first = env.getArgument("first");
        if (first == null) {
            return refused(env, "MISSING_PAGINATION_BOUNDARIES", "You must provide a `first` or `last` value to "
                    + "properly paginate the `" + connection + "` connection.");
        }
        if (first > MAX_FIRST) {
            return refused(env, "EXCESSIVE_PAGINATION", "Requesting " + first + " records on the `" + connection
                    + "` connection exceeds the `first` limit of " + MAX_FIRST + " records.");
        }
        int start = 0;
        String after = env.getArgument("after");
        if (after != null) {
            Integer index = decode(key, after);
            if (index == null) {
                return refused(env, "INVALID_CURSOR_ARGUMENTS", "`" + after + "` does not appear to be a valid cursor.");
            }
            start = index + 1;
        }
        int end = Math.min(all.size(), start + Math.max(0, first));
        List<Map<String, Object>> edges = new ArrayList<>();
        List<Object> nodes = new ArrayList<>();
        for (int i = start; i < end; i++) {
            Map<String, Object> edge = new LinkedHashMap<>();
            edge.put("cursor", encode(key, i));
            edge.put("node", all.get(i));
            edges.add(edge);
            nodes.add(all.get(i));
        }
        Map<String, Object> pageInfo = new LinkedHashMap<>();
        pageInfo.put("hasNextPage", end < all.size());
        pageInfo.put("hasPreviousPage", start > 0);
        pageInfo.put("startCursor", edges.isEmpty() ? null : edges.get(0).get("cursor"));
        pageInfo.put("endCursor", edges.isEmpty() ? null : edges.get(edges.size() - 1).get("cursor"));
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("edges", edges);
        page.put("nodes", nodes);
        page.put("pageInfo", pageInfo);
        page.put("totalCount", all.size());
        return page;
    }

    private Object refused(DataFetchingEnvironment env, String type, String message) {
        violations.accept("GraphQL " + type + ": " + message);
        return GitHubGraphQlError.failure(env, type, message);
    }

    private static String encode(String key, int index) {
        return Base64.getEncoder().encodeToString((key + " " + index).getBytes(StandardCharsets.UTF_8));
    }

    private static Integer decode(String key, String cursor) {
        try {
            String text = new String(Base64.getDecoder().decode(cursor), StandardCharsets.UTF_8);
            int space = text.lastIndexOf(' ');
            if (space < 0 || !text.substring(0, space).equals(key)) {
                return null;
            }
            return Integer.valueOf(text.substring(space + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
