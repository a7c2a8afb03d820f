package dev.monkeytown.artifact.catalog;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import jakarta.inject.Singleton;

import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.CommitReceipt;
import dev.monkeytown.state.StateBranch;

/**
 * Applies one registry change to the state branch and, once it is durable, brings the catalog up to date. Blocking:
 * called from worker threads, never from an event loop.
 */
@Singleton
public class CatalogWriter {

    /** Above the store's own bounded wait for an unreachable backend (30 s), so its clearer failure arrives first. */
    private static final Duration COMMIT_WAIT = Duration.ofSeconds(90);

    private final StateBranch branch;
    private final Catalog catalog;

    CatalogWriter(StateBranch branch, Catalog catalog) {
        this.branch = branch;
        this.catalog = catalog;
    }

    public CommitReceipt apply(String message, Actor actor, Consumer<RecordingWorkspace> edits) {
        catalog.requireLoaded();
        AtomicReference<Set<String>> touched = new AtomicReference<>(Set.of());
        CommitReceipt receipt = branch.apply(new Change(message, actor, workspace -> {
            // a change function may run more than once (another commit won the race): only its last run counts
            RecordingWorkspace recording = new RecordingWorkspace(workspace);
            edits.accept(recording);
            touched.set(recording.touched());
        })).await().atMost(COMMIT_WAIT);
        catalog.reload(touched.get());
        return receipt;
    }
}
