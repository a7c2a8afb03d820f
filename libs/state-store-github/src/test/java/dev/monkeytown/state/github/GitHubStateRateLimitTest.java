package dev.monkeytown.state.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.monkeytown.github.testdouble.CallKind;
import dev.monkeytown.github.testdouble.RateLimitFault;
import dev.monkeytown.github.testdouble.RecordedRequest;
import dev.monkeytown.state.Document;
import dev.monkeytown.state.engine.GroupCommitStateBranch;

/** GitHub says "stop for a while": the state branch sends nothing until then, and its work completes after. */
class GitHubStateRateLimitTest extends DoubleBackedStateTest {

    @ParameterizedTest
    @EnumSource(RateLimitFault.class)
    void commitsWaitOutTheWindowWithoutSendingAnything(RateLimitFault fault) {
        try (GroupCommitStateBranch branch = branch("agent-dispatcher")) {
            branch.apply(put("queue.json", "[]")).await().atMost(WAIT);
            Instant windowEnd = github.limit(fault, Duration.ofMillis(1200));

            branch.apply(put("queue.json", "[1]")).await().atMost(WAIT);
            branch.refresh().await().atMost(WAIT);

            List<RecordedRequest> requests = github.ledger().requests();
            List<RecordedRequest> refused = requests.stream().filter(r -> r.kind() == CallKind.REJECTED).toList();
            assertEquals(1, refused.size(), refused.toString());
            for (RecordedRequest r : requests) {
                if (r.arrivedAt().isAfter(refused.get(0).arrivedAt())) {
                    assertFalse(r.arrivedAt().isBefore(windowEnd), r + " was sent inside the window");
                }
            }
            assertTrue(requests.get(requests.size() - 1).arrivedAt().isAfter(windowEnd));
            Optional<Document> queue = branch("agent-dispatcher").read("queue.json").await().atMost(WAIT);
            assertEquals("[1]", queue.orElseThrow().text());
        }
    }
}
