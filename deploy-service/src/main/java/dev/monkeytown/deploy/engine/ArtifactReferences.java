package dev.monkeytown.deploy.engine;

import java.io.IOException;
import java.util.List;

/**
 * Tells the registry what an environment runs and what its last good deployment was, as {@code <repository>@<digest>}
 * manifests, so retention never removes them (artifact-service's {@code PUT /api/v1/artifacts/deployments/<env>}).
 */
public interface ArtifactReferences {

    ArtifactReferences NONE = (environment, current, lastGood) -> {
    };

    void record(String environment, List<String> current, List<String> lastGood) throws IOException;
}
