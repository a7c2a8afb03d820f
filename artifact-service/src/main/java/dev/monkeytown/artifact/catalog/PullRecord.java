package dev.monkeytown.artifact.catalog;

import java.time.Instant;

/** How often a manifest was pulled from a repository, and when last. */
public record PullRecord(long count, Instant last) {

    public PullRecord plus(PullRecord other) {
        Instant newest = last == null || (other.last != null && other.last.isAfter(last)) ? other.last : last;
        return new PullRecord(count + other.count, newest);
    }
}
