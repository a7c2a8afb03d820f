package dev.monkeytown.dispatcher.dispatch;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.inject.Singleton;

import io.quarkus.logging.Log;

import dev.monkeytown.dispatcher.registry.AgentDeclaration;
import dev.monkeytown.dispatcher.registry.AgentRegistry;

/**
 * Turns moves of the default branch into on-change runs, at least once. The last head whose changes became runs is
 * recorded on the state branch together with those runs ({@code triggers/default-branch.json}); a catch-up compares
 * it with the branch's real head and queues what the changes in between ask for. A push webhook is the fast path, the
 * registry's poll (every 15 s, a free 304 on GitHub) and the start of the dispatcher the safety net: a push missed while
 * the dispatcher was down, or whose recording failed, is caught up on the next poll. Duplicates are harmless: automatic
 * triggers coalesce into the agent's one pending run.
 * <p>
 * One catch-up at a time (this class's monitor), so the head it starts from is the one the dispatcher recorded.
 */
@Singleton
public class ChangeTriggers {

    /** A push webhook's own account of what changed, usable when it starts where the recorded head is. */
    public record Push(String before, String after, List<String> paths) {
    }

    private static final Duration RECORD_WAIT = Duration.ofSeconds(45);

    private final AgentRegistry registry;
    private final Dispatcher dispatcher;

    ChangeTriggers(AgentRegistry registry, Dispatcher dispatcher) {
        this.registry = registry;
        this.dispatcher = dispatcher;
    }

    /**
     * Records on-change runs for everything between the processed head and {@code head}; returns once they are
     * durable (with the agents a run was requested for) or throws: a caller acknowledging a push must not do so
     * before.
     */
    public synchronized List<String> catchUp(String head, Optional<Push> push) throws IOException, InterruptedException,
            ExecutionException, TimeoutException {
        Optional<String> processed = dispatcher.processedHead();
        if (processed.filter(head::equals).isPresent()) {
            return List.of();
        }
        Map<String, List<String>> runs = new LinkedHashMap<>();
        if (processed.isPresent()) {
            Optional<List<String>> paths = push.filter(p -> p.before().equals(processed.get()) && p.after()
                    .equals(head)).map(Push::paths).or(() -> changedPaths(processed.get(), head));
            runs = runsFor(paths);
        }
        // no recorded head yet: the branch is seen for the first time, and nothing before it can be told apart
        List<String> agents = dispatcher.changesSeen(processed, head, runs).get(RECORD_WAIT.toMillis(),
                TimeUnit.MILLISECONDS);
        if (!agents.isEmpty()) {
            Log.infof("Default branch moved %s..%s: on-change runs requested for %s", processed.orElse("(first sight)"),
                    head, agents);
        }
        return agents;
    }

    private Optional<List<String>> changedPaths(String from, String to) {
        try {
            return registry.source().changedPaths(from, to);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot tell what changed between " + from + " and " + to, e);
        }
    }

    /**
     * Each on-change agent whose paths match, with the matching paths; when the changed paths cannot be told (a diff
     * too large to list), every on-change agent gets a run: better one run too many than a change nobody looked at.
     */
    private Map<String, List<String>> runsFor(Optional<List<String>> changed) {
        Map<String, List<String>> runs = new LinkedHashMap<>();
        List<AgentDeclaration> onChange = registry.catalog().map(c -> c.agents().values().stream()
                .filter(agent -> !agent.paths().isEmpty()).toList()).orElse(List.of());
        for (AgentDeclaration agent : onChange) {
            if (changed.isEmpty()) {
                runs.put(agent.name(), agent.paths());
                continue;
            }
            List<String> relevant = changed.get().stream().filter(agent.pathFilter()::matches).toList();
            if (!relevant.isEmpty()) {
                runs.put(agent.name(), relevant);
            }
        }
        return runs;
    }
}
