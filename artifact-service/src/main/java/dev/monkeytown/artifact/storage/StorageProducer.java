package dev.monkeytown.artifact.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;

import dev.monkeytown.artifact.ArtifactConfig;
import dev.monkeytown.artifact.storage.github.GitHubLfsStore;
import dev.monkeytown.state.engine.GroupCommitStateBranch;
import dev.monkeytown.state.quarkus.GitHubConfig;
import dev.monkeytown.state.quarkus.StateStoreConfig;

/** The blob store follows the state backend: blobs live in Git LFS next to the branch that records them. */
@Singleton
public class StorageProducer {

    @Produces
    @Singleton
    BlobStore blobStore(StateStoreConfig state, GitHubConfig github, ArtifactConfig config,
            GroupCommitStateBranch branch, MeterRegistry registry) {
        BlobStore store = switch (state.backend()) {
            // the branch is opened first: in local mode that creates the repository whose Git directory holds lfs/
            case LOCAL -> local(state.localRepository(), branch);
            case GITHUB -> GitHubLfsStore.create(config, github, spoolFolder(state), registry);
        };
        sweepSpool(store.spoolDirectory());
        Log.infof("Blobs in the %s", store.describe());
        return store;
    }

    /** What every upload's spool file reserves its bytes from. */
    @Produces
    @Singleton
    SpoolBudget spoolBudget(ArtifactConfig config, MeterRegistry registry) {
        SpoolBudget budget = new SpoolBudget(config.spoolBudget().asLongValue());
        Gauge.builder("monkeytown.artifacts.spool.reserved.bytes", budget, SpoolBudget::reserved)
                .description("Bytes of the upload spool held by uploads in progress (of spool-budget)")
                .baseUnit("bytes").register(registry);
        return budget;
    }

    private static BlobStore local(Path repository, GroupCommitStateBranch branch) {
        branch.service();
        return new LocalLfsStore(LocalLfsStore.gitDirectoryOf(repository));
    }

    /** No upload survives a restart, so whatever is in the spool was left by a process that died mid-upload. */
    private static void sweepSpool(Path spool) {
        try {
            SpoolFile.sweep(spool);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean the upload spool " + spool, e);
        }
    }

    /** GitHub mode spools uploads on local disk beside the service's data. */
    private static Path spoolFolder(StateStoreConfig state) {
        return state.localRepository().resolveSibling("artifact-spool");
    }
}
