package dev.monkeytown.deploy.preconditions;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.monkeytown.deploy.deployments.Artifact;
import dev.monkeytown.deploy.environment.Environment;

/**
 * Whether a commit may be deployed to an environment: every required pipeline succeeded for that commit, or for a
 * commit with an identical tree (whose outputs are then reused: no rebuild for a merge that changed nothing, nor for a
 * revert). The build of the very commit is preferred over one of an identical tree; among several, the newest.
 */
public final class Preconditions {

    /** The answer. */
    public sealed interface Verdict {

        /** The artifacts to deploy, one per required pipeline, in the environment's order. */
        record Met(List<Artifact> artifacts) implements Verdict {
        }

        record Unmet(String why) implements Verdict {
        }
    }

    private final BuildRecords builds;

    public Preconditions(BuildRecords builds) {
        this.builds = builds;
    }

    public BuildRecords builds() {
        return builds;
    }

    public Verdict check(Environment environment, String sha, String tree)
            throws BuildRecords.BuildsUnavailableException {
        List<Artifact> artifacts = new ArrayList<>();
        for (String pipeline : environment.requires()) {
            Optional<BuildRecord> chosen = choose(builds.succeeded(pipeline), pipeline, sha, tree);
            if (chosen.isEmpty()) {
                return new Verdict.Unmet("the required pipeline " + pipeline + " has not succeeded for " + sha
                        + " nor for a commit with the same tree " + tree);
            }
            artifacts.add(chosen.get().toArtifact());
        }
        return new Verdict.Met(artifacts);
    }

    static Optional<BuildRecord> choose(List<BuildRecord> newestFirst, String pipeline, String sha, String tree) {
        List<BuildRecord> usable = newestFirst.stream().filter(BuildRecord::succeeded)
                .filter(b -> pipeline.equals(b.pipeline())).toList();
        return usable.stream().filter(b -> sha.equals(b.sha())).findFirst()
                .or(() -> usable.stream().filter(b -> tree.equals(b.tree())).findFirst());
    }
}
