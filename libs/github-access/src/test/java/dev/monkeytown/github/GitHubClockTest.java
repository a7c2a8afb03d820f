package dev.monkeytown.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.monkeytown.github.ScriptedGitHub.Answer;
import dev.monkeytown.github.ScriptedGitHub.Arrival;

/**
 * GitHub's reset times are instants on GitHub's clock; the client measures them against GitHub's {@code Date}, so a
 * local clock an hour off neither hammers GitHub inside the window nor waits an hour.
 */
class GitHubClockTest {

    private ScriptedGitHub github;

    static List<Arguments> skewsAndAnswers() {
        Function<RateLimitWindow, Answer> reset = w -> w.exhausted("core");
        Function<RateLimitWindow, Answer> retryAfterDate = RateLimitWindow::retryAfterDate;
        return List.of(Arguments.of(Duration.ofHours(-1), "x-ratelimit-reset", reset),
                Arguments.of(Duration.ofHours(1), "x-ratelimit-reset", reset),
                Arguments.of(Duration.ofHours(-1), "Retry-After date", retryAfterDate),
                Arguments.of(Duration.ofHours(1), "Retry-After date", retryAfterDate));
    }

    @ParameterizedTest(name = "GitHub''s clock off by {0}, window in {1}")
    @MethodSource("skewsAndAnswers")
    void theWindowIsWaitedOutOnceWhateverTheLocalClockSays(Duration skew, String form,
            Function<RateLimitWindow, Answer> refusal) throws Exception {
        github = ScriptedGitHub.withClockSkew(skew);
        RateLimitWindow window = new RateLimitWindow(github, Duration.ofMillis(500));
        github.script(arrival -> window.refuses(arrival) ? refusal.apply(window) : Answer.ok("{\"name\":\"town\"}"));

        ApiResponse response = client(Duration.ofSeconds(10)).get("/repos/acme/town");

        assertEquals(200, response.status());
        List<Arrival> arrivals = github.arrivals();
        assertEquals(1, window.refused(), "requests sent inside the window: " + arrivals.size());
        assertEquals(2, arrivals.size());
        assertTrue(arrivals.get(1).nanos() - window.endNanos() >= 0, "the retry arrived inside the window");
    }

    private GitHubAccess client(Duration unavailableAfter) throws IOException {
        return GitHubAccess.connect("ghp_clock0123456789secret",
                GitHubAccessOptions.forApi(github.apiUrl(), "monkeytown-bot").withPacing(WritePacing.unpaced())
                        .withUnavailableAfter(unavailableAfter).withRequestTimeout(Duration.ofSeconds(2)),
                new SimpleMeterRegistry());
    }

    @AfterEach
    void stop() {
        github.close();
    }
}
