package dev.monkeytown.state.spi;

import java.time.Instant;

import dev.monkeytown.state.Actor;

/** Message, author (who asked) and committer (the service that wrote) of one state commit. */
public record CommitMetadata(String message, Actor author, Actor committer, Instant time) {
}
