package dev.monkeytown.state.github;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectInserter;

import com.fasterxml.jackson.databind.JsonNode;

import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.github.GitHubUnavailableException;
import dev.monkeytown.github.GraphQlResult;
import dev.monkeytown.github.RequestKind;
import dev.monkeytown.state.spi.BackendException;
import dev.monkeytown.state.spi.History;

/**
 * Reads through GraphQL what REST would need a request per object for: many blobs in one query (aliases over
 * {@code object(oid:)}) and 100 commits of history per page.
 */
final class GraphQlReads {

    /**
     * Documents asked for in one query: all a dispatcher restart needs (about 1,010 distinct documents with 1,000 runs
     * in history) in one, about 0.7 MB of answer for JSON state documents. Bounded by the document's size: at 12
     * grammar tokens an alias, 1,100 stay under the 15,000 tokens a GraphQL parser accepts before it refuses a
     * document as a denial of service (graphql-java's default, which the double enforces; GitHub does not document
     * its own). Each alias is one node of GitHub's 500,000-node limit; what GitHub does not document either is how much
     * fits in its 10 s of execution, so a query it gives up ({@link GraphQlResult.Outcome#TIMEOUT}, with HTTP 200, 502
     * or 504) or refuses is asked again in halves.
     */
    static final int BLOBS_PER_QUERY = 1_100;
    /** A query this small that still times out is GitHub's trouble, not the query's size: passed on to be retried. */
    private static final int SMALLEST_SPLIT = 25;
    private static final int COMMITS_PER_PAGE = 100;
    private static final Pattern OBJECT_ID = Pattern.compile("[0-9a-f]{40}");
    private static final String HISTORY = """
            query StateHistory($owner: String!, $name: String!, $oid: GitObjectID!, $first: Int!, $after: String) {
              repository(owner: $owner, name: $name) {
                object(oid: $oid) {
                  ... on Commit {
                    history(first: $first, after: $after) {
                      pageInfo { hasNextPage endCursor }
                      nodes { oid message }
                    }
                  }
                }
              }
            }""";

    private final GitHubAccess github;
    private final String owner;
    private final String name;

    GraphQlReads(GitHubAccess github, String repository) {
        this.github = github;
        int slash = repository.indexOf('/');
        this.owner = repository.substring(0, slash);
        this.name = repository.substring(slash + 1);
    }

    /**
     * The blobs GraphQL can give as text, each checked against its id (a blob that is not valid UTF-8 would not round
     * trip); the caller reads the rest (binary, truncated) by REST.
     */
    Map<String, byte[]> blobs(Collection<String> ids) throws BackendException {
        List<String> all = new ArrayList<>(ids);
        Deque<List<String>> chunks = new ArrayDeque<>();
        for (int from = 0; from < all.size(); from += BLOBS_PER_QUERY) {
            chunks.add(all.subList(from, Math.min(all.size(), from + BLOBS_PER_QUERY)));
        }
        Map<String, byte[]> blobs = new HashMap<>();
        while (!chunks.isEmpty()) {
            List<String> chunk = chunks.poll();
            GraphQlResult result = send(blobQuery(chunk), Map.of("owner", owner, "name", name), "read "
                    + chunk.size() + " documents");
            // given up (10 s of work) or refused (a size limit GitHub may apply): a smaller query may pass; a small
            // one that still fails is GitHub's trouble or a real refusal, passed on below
            if ((result.outcome() == GraphQlResult.Outcome.TIMEOUT
                    || result.outcome() == GraphQlResult.Outcome.REFUSED) && chunk.size() > SMALLEST_SPLIT) {
                int half = chunk.size() / 2;
                chunks.addFirst(chunk.subList(half, chunk.size()));
                chunks.addFirst(chunk.subList(0, half));
                continue;
            }
            JsonNode repository = data(result, "read " + chunk.size() + " documents").path("repository");
            for (int i = 0; i < chunk.size(); i++) {
                JsonNode blob = repository.path("b" + i);
                if (blob.path("text").isTextual() && !blob.path("isTruncated").asBoolean(false)) {
                    byte[] content = blob.path("text").asText().getBytes(StandardCharsets.UTF_8);
                    if (blobId(content).equals(chunk.get(i))) {
                        blobs.put(chunk.get(i), content);
                    }
                }
            }
        }
        return blobs;
    }

    History history(String head, Optional<String> base, int limit) throws BackendException {
        List<History.Commit> commits = new ArrayList<>();
        String after = null;
        while (true) {
            Map<String, Object> variables = new LinkedHashMap<>();
            variables.put("owner", owner);
            variables.put("name", name);
            variables.put("oid", head);
            variables.put("first", Math.min(COMMITS_PER_PAGE, limit - commits.size() + 1));
            variables.put("after", after);
            JsonNode history = query(HISTORY, variables, "read the history of " + head).path("repository")
                    .path("object").path("history");
            if (history.isMissingNode()) {
                throw new BackendException("commit " + head + " not found on GitHub (yet)", null, true);
            }
            for (JsonNode node : history.path("nodes")) {
                String oid = node.path("oid").asText();
                if (base.isPresent() && base.get().equals(oid)) {
                    return new History(commits, true);
                }
                if (commits.size() == limit) {
                    return new History(commits, false);
                }
                commits.add(new History.Commit(oid, node.path("message").asText()));
            }
            JsonNode page = history.path("pageInfo");
            if (!page.path("hasNextPage").asBoolean(false)) {
                // the root was reached: the base, if one was named, is not on this history
                return new History(commits, base.isEmpty());
            }
            after = page.path("endCursor").asText();
        }
    }

    private JsonNode query(String query, Map<String, Object> variables, String what) throws BackendException {
        return data(send(query, variables, what), what);
    }

    private GraphQlResult send(String query, Map<String, Object> variables, String what) throws BackendException {
        try {
            return github.graphql(query, variables, RequestKind.READ);
        } catch (GitHubUnavailableException e) {
            throw new BackendException(what + ": " + e.getMessage(), e, true);
        } catch (IOException e) {
            throw new BackendException(what + ": " + e.getMessage(), e, true);
        }
    }

    private static JsonNode data(GraphQlResult result, String what) throws BackendException {
        return switch (result.outcome()) {
            case OK -> result.data();
            case NOT_FOUND, TIMEOUT, RATE_LIMITED -> throw new BackendException(what + ": "
                    + result.errorMessages(), null, true);
            case STALE_DATA, REFUSED -> throw new BackendException(what + ": GitHub refused: "
                    + result.errorMessages(), null, false);
        };
    }

    private String blobQuery(List<String> ids) {
        StringBuilder query = new StringBuilder("query StateDocuments($owner: String!, $name: String!) {\n"
                + "  repository(owner: $owner, name: $name) {\n");
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            if (!OBJECT_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("not a Git object id: " + id);
            }
            query.append("    b").append(i).append(": object(oid: \"").append(id).append("\") { ...B }\n");
        }
        return query.append("  }\n}\nfragment B on Blob { text isTruncated }").toString();
    }

    private static String blobId(byte[] content) {
        try (ObjectInserter.Formatter formatter = new ObjectInserter.Formatter()) {
            return formatter.idFor(Constants.OBJ_BLOB, content).name();
        }
    }
}
