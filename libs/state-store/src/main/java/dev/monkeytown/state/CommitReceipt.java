package dev.monkeytown.state;

import java.time.Instant;

/**
 * Proof that a change is durable: the commit that holds it, when, and how many changes shared that commit.
 * <p>
 * A change that left the state exactly as it was is acknowledged without a commit: {@code commitId} is then the head
 * it was checked against (null if the branch does not exist yet) and {@code changesInCommit} is 0.
 */
public record CommitReceipt(String commitId, Instant committedAt, int changesInCommit) {
}
