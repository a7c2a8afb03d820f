package dev.monkeytown.state.engine;

import java.util.concurrent.CompletableFuture;

import dev.monkeytown.state.Change;
import dev.monkeytown.state.CommitReceipt;

/**
 * A change waiting for its commit, and the caller waiting for it.
 *
 * @param deadlineNanos {@link System#nanoTime()} after which an unreachable backend fails the change instead of
 *        being waited for
 */
record PendingChange(Change change, CompletableFuture<CommitReceipt> caller, long deadlineNanos) {

    boolean expiredAt(long nowNanos) {
        return nowNanos - deadlineNanos >= 0;
    }
}
