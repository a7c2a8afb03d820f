package dev.monkeytown.deploy.environment;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The environments read from one revision of {@code environments.yaml}, and the problems found in it. */
public record EnvironmentCatalog(String revision, Map<String, Environment> environments,
        List<EnvironmentProblem> problems) {

    public static final EnvironmentCatalog EMPTY = new EnvironmentCatalog("", Map.of(), List.of());

    public EnvironmentCatalog {
        environments = Collections.unmodifiableMap(new TreeMap<>(environments));
        problems = List.copyOf(problems);
    }

    public Optional<Environment> environment(String name) {
        return Optional.ofNullable(environments.get(name));
    }
}
