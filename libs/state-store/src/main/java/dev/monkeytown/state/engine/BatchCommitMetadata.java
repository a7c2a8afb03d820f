package dev.monkeytown.state.engine;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.spi.CommitMetadata;
import dev.monkeytown.state.spi.CommitTrailers;

/**
 * Who a group commit is attributed to and what its message says. {@code git log} of a state branch is the audit
 * trail, so every change of a batch keeps its line and its actor: one actor stays the author; several are credited
 * with {@code Co-authored-by} trailers (which GitHub shows) under the committing service. Every message ends with the
 * {@code Monkeytown-Batch} trailer naming the attempt, by which a commit whose answer was lost is recognised.
 */
final class BatchCommitMetadata {

    private BatchCommitMetadata() {
    }

    static CommitMetadata of(List<Change> changes, Actor committer, Instant time, String batchId) {
        if (changes.isEmpty()) {
            throw new IllegalArgumentException("a commit needs at least one change");
        }
        Set<Actor> actors = new LinkedHashSet<>();
        changes.forEach(change -> actors.add(change.actor()));
        if (changes.size() == 1) {
            Change only = changes.get(0);
            return metadata(only.message().strip(), only.actor(), committer, time, batchId);
        }
        StringBuilder message = new StringBuilder();
        if (actors.size() == 1) {
            message.append(changes.size()).append(" changes\n\n");
            changes.forEach(change -> message.append("- ").append(oneLine(change.message())).append('\n'));
            return metadata(message.toString().strip(), actors.iterator().next(), committer, time, batchId);
        }
        message.append(changes.size()).append(" changes by ").append(actors.size()).append(" actors\n\n");
        changes.forEach(change -> message.append("- ").append(oneLine(change.message())).append(" (")
                .append(change.actor().name()).append(")\n"));
        message.append('\n');
        actors.stream().filter(actor -> !actor.equals(committer)).forEach(actor -> message.append("Co-authored-by: ")
                .append(actor.name()).append(" <").append(actor.email()).append(">\n"));
        return metadata(message.toString().strip(), committer, committer, time, batchId);
    }

    private static CommitMetadata metadata(String message, Actor author, Actor committer, Instant time,
            String batchId) {
        String own = CommitTrailers.without(message, CommitTrailers.BATCH);
        return new CommitMetadata(CommitTrailers.with(own, CommitTrailers.BATCH, batchId), author, committer, time,
                batchId);
    }

    private static String oneLine(String message) {
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
