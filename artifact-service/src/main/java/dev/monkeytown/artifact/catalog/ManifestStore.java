package dev.monkeytown.artifact.catalog;

import java.time.Duration;

import jakarta.inject.Singleton;

import dev.monkeytown.artifact.oci.Digest;
import dev.monkeytown.artifact.oci.RepositoryName;
import dev.monkeytown.state.Document;
import dev.monkeytown.state.StateBranch;
import dev.monkeytown.state.StateUnavailableException;

/**
 * Manifest bytes, read on demand from the branch (the store's byte-bounded cache keeps the popular ones): the catalog
 * holds only records, so a registry with many manifests does not hold them all in memory.
 */
@Singleton
public class ManifestStore {

    private final StateBranch branch;

    ManifestStore(StateBranch branch) {
        this.branch = branch;
    }

    public byte[] body(RepositoryName repository, Digest digest) {
        return branch.read(ArtifactPaths.manifestBody(repository, digest)).await().atMost(Duration.ofSeconds(60))
                .map(Document::content).orElseThrow(() -> new StateUnavailableException(
                        "the bytes of " + repository + "@" + digest + " are missing from the branch view", null));
    }
}
