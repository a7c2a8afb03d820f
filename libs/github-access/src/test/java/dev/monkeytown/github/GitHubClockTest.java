package dev.monkeytown.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.monkeytown.github.testdouble.CallKind;
import dev.monkeytown.github.testdouble.RateLimitFault;
import dev.monkeytown.github.testdouble.RecordedRequest;

/**
 * GitHub's reset times are instants on GitHub's clock; the client measures them against GitHub's {@code Date}, so a
 * local clock an hour off neither hammers GitHub inside the window nor waits an hour.
 */
class GitHubClockTest extends DoubleBackedTest {

    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    @ParameterizedTest(name = "GitHub''s clock off by {0} h")
    @ValueSource(longs = {-1, 1})
    void theResetIsWaitedOutOnceWhateverTheLocalClockSays(long skewHours) throws Exception {
        github.repository("acme", "town");
        GitHubAccess client = client(WritePacing.unpaced(), Duration.ofSeconds(10));
        github.skewClock(Duration.ofHours(skewHours));
        Instant windowEnd = github.limit(RateLimitFault.PRIMARY_EXHAUSTED, Duration.ofSeconds(1));

        ApiResponse response = client.get("/repos/acme/town");

        assertEquals(200, response.status());
        // the double refuses everything inside the window: one refusal means the client sent nothing more inside it
        // (read against the local clock it would retry at once when GitHub is behind, or give up when it is ahead)
        List<RecordedRequest> arrivals = github.ledger().requests();
        assertEquals(List.of(CallKind.REJECTED, CallKind.COUNTED_READ),
                arrivals.stream().map(RecordedRequest::kind).toList());
        assertFalse(arrivals.get(1).arrivedAt().isBefore(windowEnd), "the retry arrived inside the window");
    }

    /**
     * GitHub sends {@code Retry-After} in seconds (the double plays it so); HTTP also allows a date, which is an instant
     * on GitHub's clock like a reset and must be read against the answer's {@code Date} just the same.
     */
    @ParameterizedTest(name = "GitHub''s clock off by {0} h")
    @ValueSource(longs = {-1, 1})
    void aRetryAfterDateIsReadAgainstGitHubsDate(long skewHours) {
        Instant gitHubNow = Instant.now().plus(Duration.ofHours(skewHours));
        ApiResponse refusal = new ApiResponse(403,
                Map.of("Date", List.of(HTTP_DATE.format(gitHubNow)), "Retry-After",
                        List.of(HTTP_DATE.format(gitHubNow.plusSeconds(30)))),
                "{\"message\":\"You have exceeded a secondary rate limit.\"}".getBytes(StandardCharsets.UTF_8),
                false);

        RateLimitAnswer answer = RateLimitAnswer.of(refusal, "core", false).orElseThrow();

        assertEquals(true, answer.refused());
        assertEquals(Duration.ofSeconds(30), answer.pause());
    }
}
