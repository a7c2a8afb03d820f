package dev.monkeytown.state.quarkus;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the suite reaches GitHub (GitHub mode). */
@ConfigMapping(prefix = "monkeytown.github")
public interface GitHubConfig {

    /** REST base URL: {@code https://api.github.com}, or {@code https://<host>/api/v3} for GitHub Enterprise Server. */
    @WithDefault("https://api.github.com")
    String apiUrl();

    /** The Monkeytown repository, {@code owner/name}. Required in GitHub mode. */
    Optional<String> repository();

    /** Token (env {@code MONKEYTOWN_GITHUB_TOKEN}, from a Kubernetes Secret). Required in GitHub mode; never logged. */
    Optional<String> token();

    /** The token's user; saves the {@code GET /user} call at start. Required in GitHub mode. */
    Optional<String> login();

    /** Write pacing, below GitHub's secondary limits (80 content-creating requests/min, 500/h). */
    Writes writes();

    /** How long a caller waits for an unreachable GitHub before a clear failure. */
    @WithDefault("30s")
    Duration unavailableAfter();

    interface Writes {
        @WithDefault("1s")
        Duration minInterval();

        @WithDefault("80")
        int perMinute();

        @WithDefault("500")
        int perHour();

        @WithDefault("10")
        int maxInFlight();
    }
}
