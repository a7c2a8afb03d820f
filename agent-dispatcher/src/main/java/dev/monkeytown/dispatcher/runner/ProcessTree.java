package dev.monkeytown.dispatcher.runner;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Stops an agent's process and everything it started. Killing only the shell would leave its children running, reparented
 * away from us, still writing into the log and holding the scratch checkout.
 */
final class ProcessTree {

    private static final int ROUNDS = 4;

    private ProcessTree() {
    }

    /**
     * Asks politely first (SIGTERM) so agents may clean up, then forces (SIGKILL) whatever is left after {@code grace}.
     * Blocks for up to a few grace periods, so callers run it off any request thread.
     *
     * @return the processes still alive at the end; empty when the whole tree is gone
     */
    static List<ProcessHandle> terminate(ProcessHandle root, Duration grace) {
        Set<ProcessHandle> known = new LinkedHashSet<>();
        known.add(root);
        for (int round = 0; round < ROUNDS; round++) {
            // Gather again each round: the handles must be collected while their parents are alive (an orphan is no longer
            // anyone's descendant), and a process may have forked between the last look and the signal.
            collectDescendants(known);
            List<ProcessHandle> alive = alive(known);
            if (alive.isEmpty()) {
                return List.of();
            }
            boolean force = round > 0;
            // Children before parents, so a dying shell cannot start a replacement for a child it sees exit.
            for (int i = alive.size() - 1; i >= 0; i--) {
                if (force) {
                    alive.get(i).destroyForcibly();
                } else {
                    alive.get(i).destroy();
                }
            }
            awaitExit(alive, grace);
        }
        collectDescendants(known);
        return alive(known);
    }

    private static void collectDescendants(Set<ProcessHandle> known) {
        for (ProcessHandle handle : List.copyOf(known)) {
            if (handle.isAlive()) {
                handle.descendants().forEach(known::add);
            }
        }
    }

    private static List<ProcessHandle> alive(Set<ProcessHandle> handles) {
        return handles.stream().filter(ProcessHandle::isAlive).collect(Collectors.toList());
    }

    private static void awaitExit(List<ProcessHandle> handles, Duration grace) {
        CompletableFuture<?>[] exits = handles.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(exits).get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // whoever is still alive gets the next, harder round
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
