package dev.monkeytown.deploy.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import dev.monkeytown.deploy.deployments.Artifact;

/** Where a deployment's artifacts come from: puts each file under {@code <directory>/<pipeline>/<path>}. */
public interface ArtifactStore {

    void materialise(List<Artifact> artifacts, Path directory) throws IOException;
}
