package dev.monkeytown.artifact.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.monkeytown.artifact.oci.Digest;
import dev.monkeytown.artifact.oci.RepositoryName;
import dev.monkeytown.state.Actor;
import dev.monkeytown.state.StateUnavailableException;
import dev.monkeytown.state.engine.GroupCommitStateBranch;
import dev.monkeytown.state.engine.StateBranchOptions;
import dev.monkeytown.state.memory.InMemoryRepository;

/**
 * A commit whose answer is lost may have landed. The catalog must not go on believing it did not: a retried push
 * writes nothing (the link is already there), so without a full reload the catalog would never learn of the blob,
 * and garbage collection, trusting it, would delete a recorded blob's object.
 */
class CatalogWriterTest {

    private static final RepositoryName REPO = new RepositoryName("builds/web");
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
    private static final Actor ALICE = Actor.user("alice");

    private final GroupCommitStateBranch engine = new GroupCommitStateBranch("artifact-service",
            new InMemoryRepository().branch("artifact-service"), StateBranchOptions.defaults());
    private final AnswerLostBranch branch = new AnswerLostBranch(engine);
    private final Catalog catalog = new Catalog(branch);
    private final CatalogWriter writer = new CatalogWriter(branch, catalog);

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void aCommitWhoseAnswerWasLostIsInTheCatalogBeforeItIsTrustedAgain() {
        catalog.load(Duration.ofSeconds(10));
        Digest layer = Digest.of("layer".getBytes(StandardCharsets.UTF_8));

        branch.loseNextAnswer();
        assertThrows(StateUnavailableException.class,
                () -> writer.apply("push", ALICE, RegistryChanges.linkBlob(REPO, layer, 5, NOW, "alice")));
        // the client retries its push: the link is already there, so this commit writes nothing
        writer.apply("push again", ALICE, RegistryChanges.linkBlob(REPO, layer, 5, NOW, "alice"));

        assertEquals(Optional.of(5L), catalog.storedSize(layer), "the blob's pointer is on the branch");
        assertTrue(catalog.linkedAnywhere(layer), "the repository links the blob");
    }
}
