package dev.monkeytown.state;

import java.time.Instant;

/**
 * Proof that a change is durable: the commit that holds it, when, and how many changes shared that commit.
 */
public record CommitReceipt(String commitId, Instant committedAt, int changesInCommit) {
}
