package dev.monkeytown.state.github;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.monkeytown.github.testdouble.CallLedger.Costs;
import dev.monkeytown.github.testdouble.GitObjects;
import dev.monkeytown.github.testdouble.GraphQlFailure;
import dev.monkeytown.github.testdouble.HostedRepository;
import dev.monkeytown.state.Actor;
import dev.monkeytown.state.spi.AmbiguousCommitException;
import dev.monkeytown.state.spi.BackendException;
import dev.monkeytown.state.spi.CommitMetadata;
import dev.monkeytown.state.spi.CommitTrailers;
import dev.monkeytown.state.spi.HeadMovedException;
import dev.monkeytown.state.spi.History;

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
        // GraphQL commits are authored by the token's user, whatever we ask: the actor survives as a trailer
        assertEquals(github.login(), commit.author().name());
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
            head = backend.commit(Optional.of(head), puts, files == 1 ? Set.of("a.json") : Set.of(), METADATA);
            assertEquals(new Costs(0, 0, 0, 1, 0), github.ledger().costs().minus(before), files + " files");
        }
        assertEquals(111, repo.filesAt(backend.ref()).size());
    }

    @Test
    void theBranchCreatedWithTheGitDataApiCostsFourWritesOnce() throws Exception {
        GitHubBranchBackend backend = backend("deploy-service");
        backend.readHead();
        Costs before = github.ledger().costs();
        backend.commit(Optional.empty(), Map.of("a.json", bytes("{}"), "b.json", bytes("{}")), Set.of(), METADATA);
        Costs spent = github.ledger().costs().minus(before);
        // GET /repos once per client (hub4j), then tree + commit + ref, and the mark that the branch was created
        assertEquals(4, spent.writes());
        assertTrue(repo.ref("refs/monkeytown/created/monkeytown/state/deploy-service").isPresent());
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
    void deletionsRemoveDocuments() throws Exception {
        GitHubBranchBackend backend = backend("websocket-service");
        String head = backend.commit(Optional.empty(), Map.of("a.json", bytes("1"), "b.json", bytes("2")), Set.of(),
                METADATA);
        String next = backend.commit(Optional.of(head), Map.of(), Set.of("a.json"), METADATA);
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
    void aCommitWhoseAnswerWasLostIsReportedAmbiguousNotGuessed() throws Exception {
        GitHubBranchBackend backend = backend("agent-dispatcher");
        String base = backend.commit(Optional.empty(), Map.of("a.json", bytes("1")), Set.of(), METADATA);
        github.failNextWrites(1, true);

        assertThrows(AmbiguousCommitException.class,
                () -> backend.commit(Optional.of(base), Map.of("runs/b.json", bytes("2")), Set.of("a.json"),
                        METADATA));

        // it did land: only its batch id can tell, and settling it is the engine's job
        assertEquals(Set.of("runs/b.json"), repo.filesAt(backend.ref()).keySet());
    }

    @Test
    void aServerErrorIsAmbiguousEvenWhenNothingLanded() throws Exception {
        GitHubBranchBackend backend = backend("agent-dispatcher");
        String base = backend.commit(Optional.empty(), Map.of("a.json", bytes("1")), Set.of(), METADATA);
        github.failNextWrites(1, false);

        AmbiguousCommitException failure = assertThrows(AmbiguousCommitException.class,
                () -> backend.commit(Optional.of(base), Map.of("b.json", bytes("2")), Set.of(), METADATA));

        assertTrue(failure.retryable());
        assertEquals(Optional.of(base), repo.ref(backend.ref()));
    }

    @Test
    void aGraphQlTimeoutIsAmbiguousAndAValidationErrorARefusal() throws Exception {
        GitHubBranchBackend backend = backend("agent-dispatcher");
        String base = backend.commit(Optional.empty(), Map.of("a.json", bytes("1")), Set.of(), METADATA);
        github.failNextGraphQl(1, GraphQlFailure.TIMEOUT, true);

        assertThrows(AmbiguousCommitException.class,
                () -> backend.commit(Optional.of(base), Map.of("b.json", bytes("2")), Set.of(), METADATA));

        String head = repo.ref(backend.ref()).orElseThrow();
        BackendException refused = assertThrows(BackendException.class,
                () -> backend.commit(Optional.of(head), Map.of(), Set.of("never/was.json"), METADATA));
        assertFalse(refused.retryable(), refused.getMessage());
    }

    @Test
    void historyWalksFirstParentsDownToTheBaseWithMessages() throws Exception {
        GitHubBranchBackend backend = backend("agent-dispatcher");
        String root = backend.commit(Optional.empty(), Map.of("a.json", bytes("0")), Set.of(), METADATA);
        List<String> commits = new java.util.ArrayList<>(List.of(root));
        for (int i = 1; i <= 150; i++) {
            commits.add(backend.commit(Optional.of(commits.get(i - 1)), Map.of("a.json", bytes(Integer.toString(i))),
                    Set.of(), METADATA));
        }
        String head = commits.get(150);

        History recent = backend.history(head, Optional.of(commits.get(140)), 1000);
        assertTrue(recent.reachedBase());
        assertEquals(10, recent.commits().size());
        assertEquals(head, recent.commits().get(0).id());
        assertEquals(Optional.of("b42"), CommitTrailers.batchId(recent.commits().get(0).message()));

        History all = backend.history(head, Optional.empty(), 1000);
        assertTrue(all.reachedBase(), "walked to the root across two pages");
        assertEquals(151, all.commits().size());
        History cut = backend.history(head, Optional.of(root), 120);
        assertFalse(cut.reachedBase());
        assertEquals(120, cut.commits().size());
    }

    @Test
    void manyDocumentsAreReadInOneQueryAndBinaryOnesByRest() throws Exception {
        GitHubBranchBackend backend = backend("agent-dispatcher");
        Map<String, byte[]> puts = new LinkedHashMap<>();
        for (int i = 0; i < 300; i++) {
            puts.put("runs/" + i + ".json", bytes("{\"n\":" + i + "}"));
        }
        byte[] binary = {(byte) 0xff, 0, (byte) 0xc3, 0x28};
        puts.put("blob.bin", binary);
        String head = backend.commit(Optional.empty(), puts, Set.of(), METADATA);
        Map<String, String> tree = backend.readTree(head);

        Costs before = github.ledger().costs();
        Map<String, byte[]> read = backend("agent-dispatcher").readBlobs(tree.values());
        Costs spent = github.ledger().costs().minus(before);

        assertEquals(301, read.size());
        assertArrayEquals(bytes("{\"n\":7}"), read.get(tree.get("runs/7.json")));
        assertArrayEquals(binary, read.get(tree.get("blob.bin")));
        assertEquals(2, spent.countedReads(), "one query for 300 documents, one REST read for the binary one: " + spent);
    }

    @Test
    void thousandsOfDocumentsAreReadInAsFewQueriesAsAParserAccepts() throws Exception {
        GitHubBranchBackend backend = backend("agent-dispatcher");
        Map<String, byte[]> puts = new LinkedHashMap<>();
        for (int i = 0; i < 2300; i++) {
            puts.put("runs/" + i / 100 + "/" + i + ".json", bytes("{\"n\":" + i + "}"));
        }
        String head = backend.commit(Optional.empty(), puts, Set.of(), METADATA);
        Map<String, String> tree = backend.readTree(head);

        Costs before = github.ledger().costs();
        Map<String, byte[]> read = backend("agent-dispatcher").readBlobs(tree.values());
        Costs spent = github.ledger().costs().minus(before);

        // 1,100 a query: a larger document is refused by the parser's 15,000-token limit (a violation, failing the test)
        assertEquals(2300, read.size());
        assertEquals(3, spent.countedReads(), spent.toString());
    }

    @ParameterizedTest
    @EnumSource(value = GraphQlFailure.class, names = {"TIMEOUT", "TIMEOUT_502"})
    void documentsTooManyForOneQueryInGitHubsTimeAreReadInSmallerQueries(GraphQlFailure form) throws Exception {
        GitHubBranchBackend backend = backend("agent-dispatcher");
        Map<String, byte[]> puts = new LinkedHashMap<>();
        for (int i = 0; i < 400; i++) {
            puts.put("runs/" + i + ".json", bytes("{\"n\":" + i + ",\"log\":\"" + "x".repeat(400) + "\"}"));
        }
        String head = backend.commit(Optional.empty(), puts, Set.of(), METADATA);
        Map<String, String> tree = backend.readTree(head);
        // GitHub gives up a query past 10 s ("Something went wrong ... may be the result of a timeout"): here, any
        // answer over 64 KB, so the 400 documents (~180 KB) cannot come in one query
        github.timeOutGraphQlAnswersAbove(64 * 1024, form);

        Costs before = github.ledger().costs();
        Map<String, byte[]> read = backend("agent-dispatcher").readBlobs(tree.values());
        Costs spent = github.ledger().costs().minus(before);

        assertEquals(400, read.size());
        assertArrayEquals(puts.get("runs/399.json"), read.get(tree.get("runs/399.json")));
        assertTrue(spent.countedReads() <= 1 + 2 + 4, "halved until the answers fit: " + spent);
    }

    @Test
    void aTruncatedTreeIsReadFolderByFolder() throws Exception {
        GitHubBranchBackend backend = backend("agent-dispatcher");
        Map<String, byte[]> puts = new LinkedHashMap<>();
        for (int day = 1; day <= 5; day++) {
            for (int i = 0; i < 30; i++) {
                puts.put("runs/2026/12/0" + day + "/" + i + ".json", bytes("{}"));
            }
        }
        puts.put("queue.json", bytes("[]"));
        String head = backend.commit(Optional.empty(), puts, Set.of(), METADATA);
        github.truncateRecursiveTreesAt(40);

        Map<String, String> tree = backend("agent-dispatcher").readTree(head);

        assertEquals(puts.keySet(), tree.keySet());
        assertEquals(repo.filesAt(backend.ref()), tree);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
