package dev.monkeytown.state.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.spi.CommitMetadata;

class BatchCommitMetadataTest {

    private static final Actor DISPATCHER = Actor.service("agent-dispatcher");
    private static final Actor ALICE = Actor.user("alice");
    private static final Actor BOB = Actor.user("bob");
    private static final Instant NOW = Instant.parse("2026-11-27T10:15:30Z");

    @Test
    void aLoneChangeKeepsItsMessageAndActor() {
        CommitMetadata metadata = BatchCommitMetadata.of(List.of(change("queue run 1 for agent docs\n", ALICE)),
                DISPATCHER, NOW, "b1");

        assertEquals(new CommitMetadata("queue run 1 for agent docs\n\nMonkeytown-Batch: b1", ALICE, DISPATCHER, NOW, "b1"),
                metadata);
    }

    @Test
    void oneActorsBatchIsAuthoredByThatActorWithALinePerChange() {
        CommitMetadata metadata = BatchCommitMetadata.of(
                List.of(change("queue run 1", ALICE), change("queue run 2\nfor docs", ALICE),
                        change("cancel run 1", ALICE)),
                DISPATCHER, NOW, "b1");

        assertEquals(ALICE, metadata.author());
        assertEquals(DISPATCHER, metadata.committer());
        assertEquals("""
                3 changes

                - queue run 1
                - queue run 2 for docs
                - cancel run 1

                Monkeytown-Batch: b1""", metadata.message());
    }

    @Test
    void mixedActorsAreCreditedAsCoAuthorsOfTheServicesCommit() {
        CommitMetadata metadata = BatchCommitMetadata.of(
                List.of(change("queue run 1", ALICE), change("queue run 2", BOB), change("time out run 0", DISPATCHER),
                        change("cancel run 2", BOB)),
                DISPATCHER, NOW, "b1");

        assertEquals(DISPATCHER, metadata.author());
        assertEquals(DISPATCHER, metadata.committer());
        assertEquals(NOW, metadata.time());
        assertEquals("""
                4 changes by 3 actors

                - queue run 1 (alice)
                - queue run 2 (bob)
                - time out run 0 (agent-dispatcher)
                - cancel run 2 (bob)

                Co-authored-by: alice <alice@users.monkeytown>
                Co-authored-by: bob <bob@users.monkeytown>
                Monkeytown-Batch: b1""", metadata.message());
    }

    @Test
    void anEmptyBatchHasNoCommit() {
        assertThrows(IllegalArgumentException.class, () -> BatchCommitMetadata.of(List.of(), DISPATCHER, NOW, "b1"));
    }

    @Test
    void aChangeWhoseMessageEndsInTrailersKeepsOneTrailerBlock() {
        CommitMetadata metadata = BatchCommitMetadata.of(
                List.of(change("revert run 1\n\nCo-authored-by: bob <bob@users.monkeytown>", ALICE)), DISPATCHER, NOW,
                "b2");

        assertEquals("""
                revert run 1

                Co-authored-by: bob <bob@users.monkeytown>
                Monkeytown-Batch: b2""", metadata.message());
        assertEquals(java.util.Optional.of("b2"), dev.monkeytown.state.spi.CommitTrailers.batchId(metadata.message()));
    }

    @Test
    void aBatchIdInAChangesOwnMessageIsDroppedSoTheCommitIsRecognisedByItsOwn() {
        CommitMetadata metadata = BatchCommitMetadata.of(
                List.of(change("copy of an old commit\n\nMonkeytown-Batch: someone-elses", ALICE)), DISPATCHER, NOW,
                "b3");

        assertEquals(java.util.List.of("b3"), dev.monkeytown.state.spi.CommitTrailers.values(metadata.message(),
                dev.monkeytown.state.spi.CommitTrailers.BATCH));
    }

    private static Change change(String message, Actor actor) {
        return new Change(message, actor, ws -> {
        });
    }
}
