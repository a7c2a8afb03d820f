package dev.monkeytown.runner.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.monkeytown.github.ApiResponse;

/**
 * Which of GitHub's refusals pass (its documented rate-limit answers) and which are the same answer next time, for
 * answers that reach the runner without the client having waited them out.
 */
class RateLimitRefusalsTest {

    @Test
    void aMissingPermissionIsNoRateLimit() {
        ApiResponse forbidden = answer(403, "Resource not accessible by integration", Map.of(
                "x-ratelimit-remaining", "4987", "x-accepted-github-permissions", "actions=write"));
        assertFalse(WorkflowRuns.rateLimited(forbidden));
        assertEquals(Optional.empty(), WorkflowRuns.refused("dispatch x.yml", forbidden).retryAfter());
    }

    @Test
    void gitHubsRateLimitAnswersPassAndSayHowLongToWait() {
        ApiResponse secondary = answer(403, "You have exceeded a secondary rate limit. Please wait a few minutes"
                + " before you try again.", Map.of());
        assertTrue(WorkflowRuns.rateLimited(secondary));
        assertEquals(Optional.of(Duration.ofSeconds(60)), WorkflowRuns.refused("dispatch x.yml", secondary)
                .retryAfter(), "GitHub's advice without Retry-After: at least a minute");

        ApiResponse tooMany = answer(429, "Too many requests", Map.of("Retry-After", "30"));
        assertTrue(WorkflowRuns.rateLimited(tooMany));
        assertEquals(Optional.of(Duration.ofSeconds(30)), WorkflowRuns.refused("dispatch x.yml", tooMany)
                .retryAfter());
        assertTrue(WorkflowRuns.refused("dispatch x.yml", tooMany).getMessage().contains("wait 30 s"));

        long reset = java.time.Instant.now().plusSeconds(120).getEpochSecond();
        ApiResponse exhausted = answer(403, "API rate limit exceeded for installation ID 1.", Map.of(
                "x-ratelimit-remaining", "0", "x-ratelimit-reset", String.valueOf(reset)));
        assertTrue(WorkflowRuns.rateLimited(exhausted));
        Duration wait = WorkflowRuns.refused("dispatch x.yml", exhausted).retryAfter().orElseThrow();
        assertTrue(wait.compareTo(Duration.ofSeconds(110)) > 0 && wait.compareTo(Duration.ofSeconds(121)) < 0,
                wait.toString());
    }

    private static ApiResponse answer(int status, String message, Map<String, String> headers) {
        Map<String, List<String>> all = new java.util.HashMap<>();
        headers.forEach((name, value) -> all.put(name, List.of(value)));
        return new ApiResponse(status, all, ("{\"message\":\"" + message + "\",\"documentation_url\":"
                + "\"https://docs.github.com/rest\"}").getBytes(StandardCharsets.UTF_8), false);
    }
}
