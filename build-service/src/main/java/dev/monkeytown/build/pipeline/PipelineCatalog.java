package dev.monkeytown.build.pipeline;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The pipelines read from one revision of {@code builds.yaml}, and the problems found in it. */
public record PipelineCatalog(String revision, Map<String, Pipeline> pipelines, List<PipelineProblem> problems) {

    public static final PipelineCatalog EMPTY = new PipelineCatalog("", Map.of(), List.of());

    public PipelineCatalog {
        pipelines = java.util.Collections.unmodifiableMap(new TreeMap<>(pipelines));
        problems = List.copyOf(problems);
    }

    public Optional<Pipeline> pipeline(String name) {
        return Optional.ofNullable(pipelines.get(name));
    }

    /** The pipelines a push to {@code branch} builds. */
    public List<Pipeline> onPush(String branch) {
        return pipelines.values().stream().filter(p -> p.branches().contains(branch)).toList();
    }
}
