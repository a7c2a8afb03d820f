package dev.monkeytown.github;

import java.net.URI;
import java.time.Duration;

/**
 * Where and how to reach GitHub. The token is deliberately not part of this record (records print every component).
 *
 * @param apiUrl REST base, {@code https://api.github.com} or {@code https://ghe.example.com/api/v3}
 * @param graphqlUrl GraphQL endpoint; derived from {@code apiUrl} by {@link #forApi(String, String)}
 * @param login the token's user; passing it saves the {@code GET /user} hub4j would otherwise make at start
 * @param pacing limits on writes
 * @param unavailableAfter how long a caller waits (retries, back-off windows) before {@link GitHubUnavailableException}
 * @param requestTimeout connect and response timeout of one HTTP exchange
 * @param cacheMaxBytes bound of the ETag cache (response bodies kept for revalidation)
 */
public record GitHubAccessOptions(URI apiUrl, URI graphqlUrl, String login, WritePacing pacing,
        Duration unavailableAfter, Duration requestTimeout, long cacheMaxBytes) {

    /** Defaults: paced writes, 30 s bounded wait, 10 s per request, 32 MiB of cached responses. */
    public static GitHubAccessOptions forApi(String apiUrl, String login) {
        String base = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
        // GitHub Enterprise Server serves REST at /api/v3 and GraphQL at /api/graphql; github.com at /graphql
        String graphql = base.endsWith("/api/v3")
                ? base.substring(0, base.length() - 3) + "graphql"
                : base + "/graphql";
        return new GitHubAccessOptions(URI.create(base), URI.create(graphql), login, WritePacing.defaults(),
                Duration.ofSeconds(30), Duration.ofSeconds(10), 32L * 1024 * 1024);
    }

    public static GitHubAccessOptions github(String login) {
        return forApi("https://api.github.com", login);
    }

    public GitHubAccessOptions withPacing(WritePacing pacing) {
        return new GitHubAccessOptions(apiUrl, graphqlUrl, login, pacing, unavailableAfter, requestTimeout,
                cacheMaxBytes);
    }

    public GitHubAccessOptions withUnavailableAfter(Duration unavailableAfter) {
        return new GitHubAccessOptions(apiUrl, graphqlUrl, login, pacing, unavailableAfter, requestTimeout,
                cacheMaxBytes);
    }

    public GitHubAccessOptions withRequestTimeout(Duration requestTimeout) {
        return new GitHubAccessOptions(apiUrl, graphqlUrl, login, pacing, unavailableAfter, requestTimeout,
                cacheMaxBytes);
    }
}
