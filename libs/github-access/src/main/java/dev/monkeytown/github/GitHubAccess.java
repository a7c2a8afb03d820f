package dev.monkeytown.github;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubAbuseLimitHandler;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.GitHubRateLimitHandler;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * The suite's GitHub client, one per token: hub4j for REST ({@link #rest()}), plus conditional raw reads and GraphQL
 * for what hub4j does not cover. Every request, whichever of the three, goes through one {@link GitHubTransport}, so
 * it is paced, revalidated, backed off and counted the same way.
 * <p>
 * Why not hub4j for everything: it has no GraphQL, and its {@code GHRepository.getRef} calls the legacy
 * {@code git/refs/{ref}} listing endpoint (the GitHub double's OpenAPI check flags it), not "get a reference"
 * ({@code git/ref/{ref}}), whose conditional form is the free head check the state store relies on.
 */
public final class GitHubAccess {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final GitHubAccessOptions options;
    private final GitHubTransport transport;
    private final GitHub rest;
    private final String authorization;

    private GitHubAccess(String token, GitHubAccessOptions options, MeterRegistry registry) throws IOException {
        this.options = options;
        this.transport = new GitHubTransport(options, registry);
        this.authorization = "token " + token;
        // with the login given, build() makes no request; hub4j's own limit handlers never fire because the
        // transport handles 403/429 itself and only hands hub4j final answers
        this.rest = new GitHubBuilder().withEndpoint(options.apiUrl().toString())
                .withOAuthToken(token, options.login()).withConnector(new TransportConnector(transport))
                .withRateLimitHandler(GitHubRateLimitHandler.FAIL).withAbuseLimitHandler(GitHubAbuseLimitHandler.FAIL)
                .build();
    }

    public static GitHubAccess connect(String token, GitHubAccessOptions options, MeterRegistry registry)
            throws IOException {
        return new GitHubAccess(token, options, registry);
    }

    public GitHubAccessOptions options() {
        return options;
    }

    /**
     * What is known wrong with GitHub right now, without a request: unreachable (and since when) or asking us to back
     * off. For readiness checks that must answer at once while a request is still retrying.
     */
    public Optional<String> impairment() {
        return transport.impairment();
    }

    /** hub4j's client; its requests go through this client's transport. */
    public GitHub rest() {
        return rest;
    }

    /**
     * A REST read revalidated with its ETag: when nothing changed GitHub answers 304, which costs no quota, and the
     * cached body is returned with {@link ApiResponse#revalidated()} set.
     *
     * @param path below the API URL, e.g. {@code /repos/o/r/git/ref/heads/main}
     */
    public ApiResponse get(String path) throws IOException {
        return transport.send(new ApiRequest("GET", URI.create(options.apiUrl() + path), restHeaders(false), null,
                RequestKind.READ));
    }

    /**
     * A REST read of something that never changes, such as a Git blob, tree or commit by its id: sent without
     * {@code If-None-Match} and not kept in the ETag cache, since the caller keeps what it needs and revalidating an
     * immutable object would only cost a round trip and a second copy of the same bytes. Identical reads in flight are
     * still shared.
     *
     * @param path below the API URL, e.g. {@code /repos/o/r/git/blobs/<sha>}
     */
    public ApiResponse getImmutable(String path) throws IOException {
        return transport.sendImmutable(new ApiRequest("GET", URI.create(options.apiUrl() + path), restHeaders(false),
                null, RequestKind.READ));
    }

    /**
     * A raw REST write ({@code POST}, {@code PATCH}, {@code PUT}, {@code DELETE}) for what hub4j does not cover (e.g.
     * {@code workflow_dispatch} with {@code return_run_details}). Paced and gated like every write; the answer is
     * returned whatever its status, since what a 404 or 422 means is the caller's business.
     *
     * @param jsonBody the request body, or null for none
     */
    public ApiResponse send(String method, String path, byte[] jsonBody) throws IOException {
        if (method.equals("GET") || method.equals("HEAD")) {
            throw new IllegalArgumentException("send is for writes; use get for " + method + " " + path);
        }
        return transport.send(new ApiRequest(method, URI.create(options.apiUrl() + path), restHeaders(jsonBody != null),
                jsonBody, RequestKind.WRITE));
    }

    private Map<String, List<String>> restHeaders(boolean withBody) {
        Map<String, List<String>> headers = new java.util.HashMap<>(Map.of("Authorization", List.of(authorization),
                "Accept", List.of("application/vnd.github+json"), "X-GitHub-Api-Version", List.of("2022-11-28")));
        if (withBody) {
            headers.put("Content-Type", List.of("application/json"));
        }
        return Map.copyOf(headers);
    }

    /**
     * One GraphQL operation. {@code kind} is WRITE for mutations: GitHub counts them as content-creating, so they are
     * paced like REST writes. A {@code RATE_LIMITED} answer is waited out and repeated like a REST rate-limit refusal;
     * every other answer comes back with its {@link GraphQlResult#outcome()} for the caller to decide on.
     */
    public GraphQlResult graphql(String query, Map<String, Object> variables, RequestKind kind) throws IOException {
        byte[] body = JSON.writeValueAsBytes(Map.of("query", query, "variables", variables));
        ApiResponse response = transport.send(new ApiRequest("POST", options.graphqlUrl(),
                Map.of("Authorization", List.of(authorization), "Content-Type", List.of("application/json"),
                        "Accept", List.of("application/json")),
                body, kind));
        if (!response.isSuccess()) {
            Optional<GraphQlResult> gaveUp = GraphQlResult.gaveUp(response);
            if (gaveUp.isPresent()) {
                return gaveUp.get(); // the same verdict GitHub also sends with HTTP 200: TIMEOUT, one reading
            }
            throw new GitHubApiException(response.status(),
                    "GraphQL request failed with HTTP " + response.status() + ": " + brief(response));
        }
        return GraphQlResult.parse(response.body());
    }

    private static String brief(ApiResponse response) {
        String text = response.text();
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
