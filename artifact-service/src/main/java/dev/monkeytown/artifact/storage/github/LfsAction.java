package dev.monkeytown.artifact.storage.github;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What a batch answer tells the client to do with one object: a URL, the headers to send there, and until when
 * (git-lfs batch.md: {@code expires_in} seconds after the client's own time, preferred, else {@code expires_at}).
 */
record LfsAction(URI href, Map<String, String> headers, Optional<Instant> expiresAt) {

    /** Whether the action is expired, or will be within {@code margin} (no time to start the transfer). */
    boolean expiresWithin(Duration margin, Instant now) {
        return expiresAt.map(at -> !now.plus(margin).isBefore(at)).orElse(false);
    }

    /** Never print the headers: they carry a short-lived credential. */
    @Override
    public String toString() {
        return "LfsAction[" + href.getHost() + "]";
    }
}
