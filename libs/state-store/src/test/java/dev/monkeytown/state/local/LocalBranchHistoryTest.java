package dev.monkeytown.state.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.monkeytown.state.Actor;
import dev.monkeytown.state.spi.BackendException;
import dev.monkeytown.state.spi.CommitMetadata;
import dev.monkeytown.state.spi.CommitTrailers;
import dev.monkeytown.state.spi.History;

/**
 * {@link LocalBranchBackend#history}: how the engine settles a commit whose answer was lost, so every edge of the walk
 * (base, limit, root, a base that is not on the chain, merges) decides between "landed" and "write it again".
 */
class LocalBranchHistoryTest {

    private static final String SERVICE = "history";

    @TempDir
    Path directory;

    private LocalGitRepository repository;
    private LocalBranchBackend backend;
    /** c1 (root) .. c5 (head), each with its own batch id. */
    private final List<String> chain = new ArrayList<>();

    @BeforeEach
    void writeAChainOfFiveCommits() throws Exception {
        repository = LocalGitRepository.openOrCreate(directory.resolve("repo"));
        backend = repository.branch(SERVICE);
        Optional<String> head = Optional.empty();
        for (int i = 1; i <= 5; i++) {
            String id = backend.commit(head, Map.of("n.json", bytes(i)), Set.of(), metadata("write " + i, "b" + i));
            chain.add(id);
            head = Optional.of(id);
        }
    }

    @AfterEach
    void close() {
        repository.close();
    }

    @Test
    void walksFirstParentsNewestFirstAndStopsBeforeTheBase() throws Exception {
        History history = backend.history(c(5), Optional.of(c(2)), 10);

        assertEquals(List.of(c(5), c(4), c(3)), ids(history));
        assertTrue(history.reachedBase());
        assertEquals(List.of("b5", "b4", "b3"), batchIds(history), "whole messages, trailers included");
    }

    @Test
    void anEmptyBaseWalksToTheRoot() throws Exception {
        History history = backend.history(c(5), Optional.empty(), 10);

        assertEquals(List.of(c(5), c(4), c(3), c(2), c(1)), ids(history));
        assertTrue(history.reachedBase());
    }

    @Test
    void theLimitBoundsTheWalk() throws Exception {
        History cut = backend.history(c(5), Optional.of(c(1)), 2);
        assertEquals(List.of(c(5), c(4)), ids(cut));
        assertFalse(cut.reachedBase());

        History baseRightAfterTheLimit = backend.history(c(5), Optional.of(c(1)), 4);
        assertEquals(List.of(c(5), c(4), c(3), c(2)), ids(baseRightAfterTheLimit));
        assertTrue(baseRightAfterTheLimit.reachedBase(), "the base is never counted against the limit");

        assertTrue(backend.history(c(5), Optional.empty(), 5).reachedBase(), "the root is the fifth commit");
        History shortOfTheRoot = backend.history(c(5), Optional.empty(), 4);
        assertEquals(4, shortOfTheRoot.commits().size());
        assertFalse(shortOfTheRoot.reachedBase());

        History none = backend.history(c(5), Optional.of(c(4)), 0);
        assertEquals(List.of(), ids(none));
        assertFalse(none.reachedBase());
    }

    @Test
    void theHeadItselfAsBaseIsAnEmptyWalkThatReachedIt() throws Exception {
        History history = backend.history(c(3), Optional.of(c(3)), 10);

        assertEquals(List.of(), ids(history));
        assertTrue(history.reachedBase());
    }

    @Test
    void aBaseThatIsNotOnTheChainIsNotReached() throws Exception {
        LocalBranchBackend other = repository.branch("other");
        String elsewhere = other.commit(Optional.empty(), Map.of("x.json", bytes(0)), Set.of(), metadata("x", "x"));

        History history = backend.history(c(5), Optional.of(elsewhere), 10);

        assertEquals(5, history.commits().size(), "walked to the root");
        assertFalse(history.reachedBase());
        History descendant = backend.history(c(2), Optional.of(c(4)), 10);
        assertEquals(List.of(c(2), c(1)), ids(descendant), "a newer commit is not an ancestor");
        assertFalse(descendant.reachedBase());
    }

    @Test
    void followsOnlyTheFirstParentOfAMerge() throws Exception {
        // A merge someone made with plain Git: first parent c5, second parent a commit off c3.
        ObjectId side = insertCommit("side", c(3));
        ObjectId merge = insertCommit("merge", c(5), side.name());

        History history = backend.history(merge.name(), Optional.of(side.name()), 10);

        assertEquals(List.of(merge.name(), c(5), c(4), c(3), c(2), c(1)), ids(history));
        assertFalse(history.reachedBase(), "the second parent's line is not walked");
        assertEquals(List.of(merge.name(), c(5)), ids(backend.history(merge.name(), Optional.of(c(4)), 10)));
    }

    @Test
    void anUnknownHeadIsARefusalNotAnOutage() {
        BackendException missing = assertThrows(BackendException.class,
                () -> backend.history("0123456789012345678901234567890123456789", Optional.empty(), 10));
        assertFalse(missing.retryable());
    }

    private String c(int n) {
        return chain.get(n - 1);
    }

    private ObjectId insertCommit(String message, String... parents) throws Exception {
        try (ObjectInserter inserter = repository.jgit().newObjectInserter()) {
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(repository.jgit().parseCommit(ObjectId.fromString(parents[0])).getTree());
            for (String parent : parents) {
                commit.addParentId(ObjectId.fromString(parent));
            }
            PersonIdent someone = new PersonIdent("someone", "someone@example.com");
            commit.setAuthor(someone);
            commit.setCommitter(someone);
            commit.setMessage(message + "\n");
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            return id;
        }
    }

    private static List<String> ids(History history) {
        return history.commits().stream().map(History.Commit::id).toList();
    }

    private static List<String> batchIds(History history) {
        return history.commits().stream().map(commit -> CommitTrailers.batchId(commit.message()).orElseThrow())
                .toList();
    }

    static CommitMetadata metadata(String subject, String batchId) {
        return new CommitMetadata(CommitTrailers.with(subject, CommitTrailers.BATCH, batchId), Actor.user("alice"),
                Actor.service(SERVICE), Instant.parse("2026-11-27T10:00:00Z"), batchId);
    }

    private static byte[] bytes(int n) {
        return ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8);
    }
}
