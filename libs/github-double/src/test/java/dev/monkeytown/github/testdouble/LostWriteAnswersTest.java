package dev.monkeytown.github.testdouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Writes whose answer comes late or never, with the write applied at once, later, or not at all. */
class LostWriteAnswersTest {

    private static final Duration CLIENT_TIMEOUT = Duration.ofMillis(500);

    private final GitHubDouble github = GitHubDouble.start();
    private final DoubleClient client = new DoubleClient(github).timeout(CLIENT_TIMEOUT);
    private final HostedRepository repo = github.repository("acme", "town");
    private String seed;

    @BeforeEach
    void seed() {
        seed = repo.commitFiles("state", Map.of("a", "a"), "seed");
    }

    @AfterEach
    void stop() {
        github.closeRequiringValidRequests();
    }

    @Test
    void appliedButAnsweredAfterTheClientGaveUp() throws Exception {
        github.answerNextWritesLate(1, Duration.ofSeconds(3));
        assertThrows(HttpTimeoutException.class, () -> commit("b"));
        assertNotEquals(seed, head(), "the write took effect before the client timed out");
        assertEquals(200, commit("c").statusCode(), "only the next write was armed");
    }

    @Test
    void appliedAndTheConnectionClosedWithoutAnswer() throws Exception {
        String other = repo.commitFiles("other", Map.of("x", "x"), "other");
        github.applyNextWritesUnanswered(1, Duration.ZERO);
        assertThrows(IOException.class, () -> client.send("PATCH", "/repos/acme/town/git/refs/heads/state",
                "{\"sha\":\"" + other + "\",\"force\":true}"));
        assertEquals(other, head(), "the REST ref update took effect");
        RecordedRequest lost = github.ledger().requests().get(0);
        assertEquals(CallKind.WRITE, lost.kind());
        assertEquals(0, lost.status(), "no answer recorded as status 0");
    }

    @Test
    void appliedAndHeldUntilTheClientGivesUp() throws Exception {
        github.applyNextWritesUnanswered(1, Duration.ofSeconds(3));
        assertThrows(HttpTimeoutException.class, () -> commit("b"));
        assertNotEquals(seed, head());
    }

    @Test
    void acceptedUnansweredAndAppliedOnlyLater() throws Exception {
        github.applyNextWritesLater(1, Duration.ofSeconds(1), Duration.ZERO);
        assertThrows(IOException.class, () -> commit("b"));
        assertEquals(seed, head(), "a client reading back at once still sees the old head");
        assertEquals(seed, DoubleClient.json(client.get("/repos/acme/town/git/ref/heads/state"))
                .at("/object/sha").asText());
        Seeds.eventually(() -> !head().equals(seed), "the write lands after its delay");
        assertEquals(List.of("a", "b"), List.copyOf(repo.filesAt("refs/heads/state").keySet()));
    }

    @Test
    void neitherAppliedNorAnswered() throws Exception {
        github.dropNextWrites(1, Duration.ZERO);
        assertThrows(IOException.class, () -> commit("b"));
        assertEquals(seed, head());
        assertEquals(200, commit("b").statusCode(), "the retry on the same head is applied: nothing landed before");
        assertEquals(List.of(seed), repo.objects().find(head(), GitObjects.Commit.class).orElseThrow().parents());
    }

    private HttpResponse<String> commit(String path) throws Exception {
        return client.graphqlResponse(Seeds.COMMIT, Seeds.commit("state", head(), path));
    }

    private String head() {
        return repo.ref("refs/heads/state").orElseThrow();
    }
}
