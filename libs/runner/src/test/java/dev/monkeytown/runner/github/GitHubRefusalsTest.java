package dev.monkeytown.runner.github;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.monkeytown.github.ApiResponse;

/**
 * Which of GitHub's refusals pass (its documented rate-limit answers, and 403s with no proof of a missing permission)
 * and which are the same answer next time (a token without the permission), for answers that reach the runner without
 * the client having waited them out.
 */
class GitHubRefusalsTest {

    @Test
    void aMissingPermissionIsForGood() {
        assertTrue(WorkflowRuns.lacksPermission(answer(403, "Resource not accessible by integration", Map.of(
                "x-ratelimit-remaining", "4987", "x-accepted-github-permissions", "actions=write"))));
        assertTrue(WorkflowRuns.lacksPermission(answer(403, "Resource not accessible by personal access token",
                Map.of())));
        assertTrue(WorkflowRuns.lacksPermission(answer(403, "Must have admin rights to Repository.", Map.of())));
    }

    @Test
    void a403WithoutProofOfAMissingPermissionPasses() {
        for (String message : List.of("Resource protected by organization SAML enforcement. You must grant your"
                + " Personal Access token access to this organization.",
                "Although you appear to have the correct authorization credentials, the `monkeytown` organization has"
                        + " an IP allow list enabled, and your IP address is not permitted to access this resource.",
                "<html><body>403 Forbidden</body></html>", "")) {
            ApiResponse forbidden = answer(403, message, Map.of("x-ratelimit-remaining", "4000"));
            assertFalse(WorkflowRuns.lacksPermission(forbidden), message);
            assertFalse(WorkflowRuns.rateLimited(forbidden), message);
        }
    }

    @Test
    void gitHubsRateLimitAnswersPass() {
        for (ApiResponse limited : List.of(
                answer(403, "You have exceeded a secondary rate limit. Please wait a few minutes before you try"
                        + " again.", Map.of()),
                answer(403, "You have triggered an abuse detection mechanism. Please wait a few minutes before you"
                        + " try again.", Map.of()),
                answer(429, "Too many requests", Map.of("Retry-After", "30")),
                answer(403, "API rate limit exceeded for installation ID 1.", Map.of("x-ratelimit-remaining", "0",
                        "x-ratelimit-reset", "1800000000")))) {
            assertTrue(WorkflowRuns.rateLimited(limited));
            assertFalse(WorkflowRuns.lacksPermission(limited));
        }
    }

    private static ApiResponse answer(int status, String message, Map<String, String> headers) {
        Map<String, List<String>> all = new java.util.HashMap<>();
        headers.forEach((name, value) -> all.put(name, List.of(value)));
        return new ApiResponse(status, all, ("{\"message\":\"" + message.replace("\"", "\\\"")
                + "\",\"documentation_url\":\"https://docs.github.com/rest\"}").getBytes(StandardCharsets.UTF_8),
                false);
    }
}
