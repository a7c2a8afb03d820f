package dev.monkeytown.dispatcher.dispatch;

import java.util.List;

import jakarta.inject.Singleton;

import io.quarkus.logging.Log;

import dev.monkeytown.dispatcher.queue.Trigger;
import dev.monkeytown.dispatcher.registry.AgentDeclaration;
import dev.monkeytown.dispatcher.registry.AgentRegistry;

/**
 * Turns a change to the default branch into on-change runs: every agent with a path filter matching a changed path gets
 * a run. A burst of pushes coalesces into the agent's one pending run (see {@code RunQueue.enqueue}).
 */
@Singleton
public class ChangeTriggers {

    private final AgentRegistry registry;
    private final Dispatcher dispatcher;

    ChangeTriggers(AgentRegistry registry, Dispatcher dispatcher) {
        this.registry = registry;
        this.dispatcher = dispatcher;
    }

    /** @return the agents a run was requested for */
    public List<String> changed(String commitSha, List<String> paths) {
        if (paths.isEmpty()) {
            return List.of();
        }
        List<AgentDeclaration> matching = registry.catalog().map(c -> c.agents().values().stream()
                .filter(agent -> !agent.paths().isEmpty() && agent.pathFilter().matches(paths)).toList())
                .orElse(List.of());
        for (AgentDeclaration agent : matching) {
            List<String> relevant = paths.stream().filter(agent.pathFilter()::matches).toList();
            dispatcher.request(agent.name(), new Trigger.OnChange(commitSha, relevant))
                    .exceptionally(failure -> {
                        Log.warnf("Could not queue on-change run of %s for %s: %s", agent.name(), commitSha,
                                failure.toString());
                        return null;
                    });
        }
        return matching.stream().map(AgentDeclaration::name).toList();
    }
}
