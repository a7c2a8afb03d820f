package dev.monkeytown.artifact.catalog;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import jakarta.inject.Singleton;

import io.quarkus.logging.Log;

import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.ChangeRejectedException;
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
        CommitReceipt receipt;
        try {
            receipt = branch.apply(new Change(message, actor, workspace -> {
                // a change function may run more than once (another commit won the race): only its last run counts
                RecordingWorkspace recording = new RecordingWorkspace(workspace);
                edits.accept(recording);
                touched.set(recording.touched());
            })).await().atMost(COMMIT_WAIT);
        } catch (ChangeRejectedException refused) {
            throw refused; // refused by its own rules: nothing of it was written
        } catch (RuntimeException unknown) {
            // the commit may have landed all the same (answer lost, wait timed out): the catalog cannot tell
            catalog.markStale();
            reloadAllQuietly();
            throw unknown;
        }
        try {
            catalog.reload(touched.get());
        } catch (RuntimeException e) {
            // the commit is durable and acknowledged; the catalog just could not read it back yet
            Log.warnf("Registry records not re-read after commit %s, reading all of them again: %s",
                    receipt.commitId(), e.toString());
            catalog.markStale();
            reloadAllQuietly();
        }
        return receipt;
    }

    private void reloadAllQuietly() {
        try {
            catalog.reloadAll();
        } catch (RuntimeException e) {
            Log.warnf("Registry records not re-read yet, the next request tries again: %s", e.toString());
        }
    }
}
