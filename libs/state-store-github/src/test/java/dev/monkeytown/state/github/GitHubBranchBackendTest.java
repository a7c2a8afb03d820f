package dev.monkeytown.state.github;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.monkeytown.github.testdouble.CallLedger.Costs;
import dev.monkeytown.github.testdouble.GitObjects;
import dev.monkeytown.github.testdouble.HostedRepository;
import dev.monkeytown.state.Actor;
import dev.monkeytown.state.spi.BackendException;
import dev.monkeytown.state.spi.CommitMetadata;
import dev.monkeytown.state.spi.HeadMovedException;

/** The backend through the SPI, as the engine drives it. */
class GitHubBranchBackendTest extends DoubleBackedStateTest {

    private static final CommitMetadata METADATA = new CommitMetadata(
            "queue run 42\n\nfor agent docs\n\nMonkeytown-Batch: b42", Actor.user("alice"),
            Actor.service("agent-dispatcher"), Instant.parse("2026-11-27T10:00:00Z"), "b42");

    private final HostedRepository repo = github.repository("monkeytown", "monkeytown");

    @Test
    void createsTheBranchThenCommitsOnIt() throws Exception {
        GitHubBranchBackend backend = backend("agent-dispatcher");
        assertEquals("refs/heads/monkeytown/state/agent-dispatcher", backend.ref());
        assertEquals(Optional.empty(), backend.readHead());

        String root = backend.commit(Optional.empty(), Map.of("queue.json", bytes("[]")), Set.of(), METADATA);
        assertEquals(Optional.of(root), backend.readHead());
        String next = backend.commit(Optional.of(root), Map.of("runs/2026/11/27/r1.json", bytes("{\"id\":1}")),
                Set.of(), METADATA);

        assertEquals(Optional.of(next), backend.readHead());
        Map<String, String> tree = backend("agent-dispatcher").readTree(next);
        assertEquals(Set.of("queue.json", "runs/2026/11/27/r1.json"), tree.keySet());
        assertEquals(repo.filesAt(backend.ref()), tree);
        assertArrayEquals(bytes("{\"id\":1}"), backend("agent-dispatcher").readBlob(tree.get("runs/2026/11/27/r1.json")));
        GitObjects.Commit rootCommit = repo.objects().find(root, GitObjects.Commit.class).orElseThrow();
        assertEquals("alice", rootCommit.author().name());
        GitObjects.Commit commit = repo.objects().find(next, GitObjects.Commit.class).orElseThrow();
        assertEquals(List.of(root), commit.parents());
        assertTrue(commit.message().startsWith("queue run 42\n\nfor agent docs"), commit.message());
        assertTrue(commit.message().contains("Co-authored-by: alice <alice@users.monkeytown>"), commit.message());
    }

    @Test
    void aCommitIsOneWriteWhateverTheNumberOfFiles() throws Exception {
        GitHubBranchBackend backend = backend("build-service");
        String head = backend.commit(Optional.empty(), Map.of("a.json", bytes("{}")), Set.of(), METADATA);
        for (int files : new int[]{1, 10, 100}) {
            Map<String, byte[]> puts = new LinkedHashMap<>();
            for (int i = 0; i < files; i++) {
                puts.put("builds/" + files + "/" + i + ".json", bytes("{\"n\":" + i + "}"));
            }
            Costs before = github.ledger().costs();
            head = backend.commit(Optional.of(head), puts, Set.of("a.json"), METADATA);
            assertEquals(new Costs(0, 0, 0, 1, 0), github.ledger().costs().minus(before), files + " files");
        }
        assertEquals(111, repo.filesAt(backend.ref()).size());
    }

    @Test
    void theBranchCreatedWithTheGitDataApiCostsThreeWritesOnce() throws Exception {
        GitHubBranchBackend backend = backend("deploy-service");
        backend.readHead();
        Costs before = github.ledger().costs();
        backend.commit(Optional.empty(), Map.of("a.json", bytes("{}"), "b.json", bytes("{}")), Set.of(), METADATA);
        Costs spent = github.ledger().costs().minus(before);
        // GET /repos once per client (hub4j), then tree + commit + ref
        assertEquals(3, spent.writes());
        assertTrue(spent.countedReads() <= 1);
    }

    @Test
    void aMovedHeadIsReportedAndNothingIsWritten() throws Exception {
        GitHubBranchBackend mine = backend("artifact-service");
        GitHubBranchBackend theirs = backend("artifact-service");
        String base = mine.commit(Optional.empty(), Map.of("a.json", bytes("1")), Set.of(), METADATA);
        String moved = theirs.commit(Optional.of(base), Map.of("a.json", bytes("2")), Set.of(), METADATA);

        assertThrows(HeadMovedException.class,
                () -> mine.commit(Optional.of(base), Map.of("a.json", bytes("3")), Set.of(), METADATA));
        assertEquals(Optional.of(moved), repo.ref(mine.ref()));
    }

    @Test
    void twoWritersCreatingTheBranchLoseTheSecondCreation() throws Exception {
        backend("gateway").commit(Optional.empty(), Map.of("a.json", bytes("1")), Set.of(), METADATA);
        assertThrows(HeadMovedException.class, () -> backend("gateway").commit(Optional.empty(),
                Map.of("a.json", bytes("2")), Set.of(), METADATA));
    }

    @Test
    void deletingAnAbsentPathIsIgnored() throws Exception {
        GitHubBranchBackend backend = backend("websocket-service");
        String head = backend.commit(Optional.empty(), Map.of("a.json", bytes("1"), "b.json", bytes("2")), Set.of(),
                METADATA);
        String next = backend.commit(Optional.of(head), Map.of(), Set.of("a.json", "never/was.json"), METADATA);
        assertEquals(Set.of("b.json"), backend("websocket-service").readTree(next).keySet());
    }

    @Test
    void binaryContentRoundTrips() throws Exception {
        byte[] binary = {(byte) 0xff, 0, (byte) 0xc3, 0x28, 10};
        GitHubBranchBackend backend = backend("bin");
        String head = backend.commit(Optional.empty(), Map.of("x.bin", binary), Set.of(), METADATA);
        head = backend.commit(Optional.of(head), Map.of("y.bin", binary), Set.of(), METADATA);
        GitHubBranchBackend fresh = backend("bin");
        Map<String, String> tree = fresh.readTree(head);
        assertArrayEquals(binary, fresh.readBlob(tree.get("x.bin")));
        assertArrayEquals(binary, fresh.readBlob(tree.get("y.bin")));
    }

    @Test
    void anUnchangedHeadIsRevalidatedForFree() throws Exception {
        GitHubBranchBackend backend = backend("agent-dispatcher");
        backend.commit(Optional.empty(), Map.of("a.json", bytes("1")), Set.of(), METADATA);
        backend.readHead();
        Costs before = github.ledger().costs();
        backend.readHead();
        backend.readHead();
        assertEquals(new Costs(2, 0, 2, 0, 0), github.ledger().costs().minus(before));
    }

    @Test
    void aCommitWhoseAnswerWasLostButLandedIsRecognisedAsOurs() throws Exception {
        GitHubBranchBackend backend = backend("agent-dispatcher");
        String base = backend.commit(Optional.empty(), Map.of("a.json", bytes("1")), Set.of(), METADATA);
        backend.readTree(base);
        github.failNextWrites(1, true);

        String commit = backend.commit(Optional.of(base), Map.of("runs/b.json", bytes("2")), Set.of("a.json"),
                METADATA);

        assertEquals(Optional.of(commit), repo.ref(backend.ref()));
        assertEquals(List.of(base), repo.objects().find(commit, GitObjects.Commit.class).orElseThrow().parents());
        assertEquals(Set.of("runs/b.json"), repo.filesAt(backend.ref()).keySet());
    }

    @Test
    void aCommitThatFailedWithoutLandingIsARetryableFailure() throws Exception {
        GitHubBranchBackend backend = backend("agent-dispatcher");
        String base = backend.commit(Optional.empty(), Map.of("a.json", bytes("1")), Set.of(), METADATA);
        github.failNextWrites(1, false);

        BackendException failure = assertThrows(BackendException.class,
                () -> backend.commit(Optional.of(base), Map.of("b.json", bytes("2")), Set.of(), METADATA));

        assertTrue(failure.retryable());
        assertEquals(Optional.of(base), repo.ref(backend.ref()));
    }

    @Test
    void aLostAnswerAfterAnotherWriterMovedTheBranchIsAMovedHead() throws Exception {
        GitHubBranchBackend mine = backend("agent-dispatcher");
        String base = mine.commit(Optional.empty(), Map.of("a.json", bytes("1")), Set.of(), METADATA);
        backend("agent-dispatcher").commit(Optional.of(base), Map.of("a.json", bytes("theirs")), Set.of(), METADATA);
        github.failNextWrites(1, true);

        assertThrows(HeadMovedException.class,
                () -> mine.commit(Optional.of(base), Map.of("a.json", bytes("mine")), Set.of(), METADATA));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
