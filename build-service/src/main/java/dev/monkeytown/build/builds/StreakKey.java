package dev.monkeytown.build.builds;

import java.util.Objects;

/** A pipeline on one branch: what a failure streak and a hold belong to, and what runs one build at a time. */
public record StreakKey(String pipeline, String branch) implements Comparable<StreakKey> {
    public StreakKey {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(branch, "branch");
    }

    @Override
    public int compareTo(StreakKey other) {
        int byPipeline = pipeline.compareTo(other.pipeline);
        return byPipeline != 0 ? byPipeline : branch.compareTo(other.branch);
    }

    @Override
    public String toString() {
        return pipeline + "@" + branch;
    }
}
