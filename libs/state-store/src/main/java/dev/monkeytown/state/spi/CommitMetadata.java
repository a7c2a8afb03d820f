package dev.monkeytown.state.spi;

import java.time.Instant;

import dev.monkeytown.state.Actor;

/**
 * Message, author (who asked) and committer (the service that wrote) of one state commit.
 *
 * @param message the whole message, ending with a trailer block that holds {@code Monkeytown-Batch: <batchId>}
 * @param batchId the id of this commit attempt, unique, also in the message
 */
public record CommitMetadata(String message, Actor author, Actor committer, Instant time, String batchId) {
}
