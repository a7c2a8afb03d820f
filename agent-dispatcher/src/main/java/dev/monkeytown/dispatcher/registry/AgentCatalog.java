package dev.monkeytown.dispatcher.registry;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The outcome of reading the declarations: the agents that are valid, by name, and the problems that made others be
 * skipped. Both are always present so a caller can serve the good agents and report the bad ones from one read.
 */
public record AgentCatalog(Map<String, AgentDeclaration> agents, List<DeclarationProblem> problems) {

    public AgentCatalog {
        Objects.requireNonNull(agents, "agents");
        Objects.requireNonNull(problems, "problems");
        // Sorted so listings and logs come out in a stable order whatever order the files were read in.
        agents = Collections.unmodifiableMap(new TreeMap<>(agents));
        problems = List.copyOf(problems);
    }

    public Optional<AgentDeclaration> agent(String name) {
        return Optional.ofNullable(agents.get(name));
    }

    public boolean hasProblems() {
        return !problems.isEmpty();
    }
}
