package dev.monkeytown.github.testdouble;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What GitHub says about time comes from its clock, which need not agree with the client's. */
class ClockSkewTest {

    private static final Duration SKEW = Duration.ofHours(-2);

    private final GitHubDouble github = GitHubDouble.start();
    private final DoubleClient client = new DoubleClient(github);

    @AfterEach
    void stop() {
        github.closeRequiringValidRequests();
    }

    @Test
    void dateAndResetTimesComeFromTheSkewedClock() throws Exception {
        HostedRepository repo = github.repository("acme", "town");
        String head = repo.commitFiles("state", Map.of("a", "a"), "seed");
        assertEquals(0, secondsFromNow(date(client.get("/repos/acme/town"))), 5.0, "unskewed by default");

        github.skewClock(SKEW);
        HttpResponse<String> response = client.get("/repos/acme/town");
        assertEquals(SKEW.toSeconds(), secondsFromNow(date(response)), 5.0, "Date is GitHub's clock");
        long reset = Long.parseLong(response.headers().firstValue("x-ratelimit-reset").orElseThrow());
        assertEquals(SKEW.plusHours(1).toSeconds(), reset - Instant.now().getEpochSecond(), 5.0,
                "the hourly reset as GitHub's clock says it: already past by this machine's clock");
        assertEquals(reset, DoubleClient.json(client.get("/rate_limit")).at("/resources/core/reset").asLong(), 1.0);

        String committedDate = client.graphql(Seeds.COMMIT.replace("commit { oid }", "commit { committedDate }"),
                Seeds.commit("state", head, "b")).at("/data/createCommitOnBranch/commit/committedDate").asText();
        assertEquals(SKEW.toSeconds(), secondsFromNow(Instant.parse(committedDate)), 5.0,
                "GitHub stamps its commits with its own clock");
    }

    @Test
    void retryAfterIsInSecondsWhateverTheClock() throws Exception {
        github.repository("acme", "town");
        github.skewClock(SKEW);
        github.secondaryLimits(SecondaryLimits.github().withPerMinute(0, Duration.ofSeconds(30)));
        HttpResponse<String> refused = client.send("POST", "/repos/acme/town/git/blobs", "{\"content\":\"x\"}");
        assertEquals("30", refused.headers().firstValue("Retry-After").orElseThrow());
    }

    private static Instant date(HttpResponse<String> response) {
        return ZonedDateTime.parse(response.headers().firstValue("Date").orElseThrow(),
                DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    }

    private static long secondsFromNow(Instant instant) {
        return instant.getEpochSecond() - Instant.now().getEpochSecond();
    }
}
