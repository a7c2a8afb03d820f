package dev.monkeytown.build.engine;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import dev.monkeytown.build.builds.Build;
import dev.monkeytown.build.builds.BuildArtifact;
import dev.monkeytown.build.builds.BuildOutput;
import dev.monkeytown.build.pipeline.Pipeline;

/** Stores what a successful attempt produced. Called off the loop thread; may block on the network. */
public interface OutputPublisher {

    /** Outputs stored at once (the engine's own pool for it): a slow copy never holds the runner calls. */
    int CONCURRENT_COPIES = 2;

    /** The outputs as stored, and where; no artifact when the pipeline declares no outputs or produced none. */
    record Published(List<BuildOutput> outputs, Optional<BuildArtifact> artifact) {
        public static final Published NOTHING = new Published(List.of(), Optional.empty());
    }

    /** @throws IOException when the outputs could not be stored: the attempt fails as {@code infra} */
    Published publish(Build build, Pipeline pipeline, String runId) throws IOException;

    /** Forgets what an attempt left behind that will never be published (a failed or abandoned attempt). */
    default void discard(String runId) {
    }

    OutputPublisher NONE = (build, pipeline, runId) -> Published.NOTHING;
}
