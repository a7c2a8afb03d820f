package dev.monkeytown.events.client;

import java.util.Objects;

/** The last event a consumer has from one producer: it resumes with {@code after=offset&epoch=epoch}. */
public record StreamPosition(String epoch, long offset) {

    public StreamPosition {
        Objects.requireNonNull(epoch, "epoch");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be 0 or more, was " + offset);
        }
    }
}
