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

    /** This service's part of the token's budget, when several services share one token. */
    Budget budget();

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

    interface Budget {
        /**
         * This service's fraction, in (0, 1], of the token's content-creation budget: GitHub counts its secondary
         * limits per token, so services sharing one token must share them. Multiplies the write pacing's per-minute,
         * per-hour and in-flight bounds. 1.0 when the token is this service's alone, which is the recommended set-up
         * (one token or GitHub App installation per service); with services sharing a token, shares that add up to at
         * most 1 (0.25 each for four).
         */
        @WithDefault("1.0")
        double share();
    }
}
