package dev.monkeytown.artifact.catalog;

import java.time.Instant;

/**
 * A stored blob no repository links any more, since {@code since}: its LFS pointer is gone from the branch, and the
 * object itself is deleted once the collection delay has passed (locally), or counted as reclaimable (GitHub).
 */
public record GcMark(long size, Instant since) {
}
