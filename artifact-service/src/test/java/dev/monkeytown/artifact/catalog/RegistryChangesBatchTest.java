package dev.monkeytown.artifact.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.monkeytown.artifact.oci.Descriptor;
import dev.monkeytown.artifact.oci.Digest;
import dev.monkeytown.artifact.oci.Manifest;
import dev.monkeytown.artifact.oci.MediaTypes;
import dev.monkeytown.artifact.oci.RepositoryName;
import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.CommitReceipt;
import dev.monkeytown.state.GatedBranchBackend;
import dev.monkeytown.state.engine.GroupCommitStateBranch;
import dev.monkeytown.state.engine.StateBranchOptions;
import dev.monkeytown.state.memory.InMemoryRepository;

/**
 * The delete rules are "checked inside the commit, so two racing requests cannot both slip past" (docs/artifacts.md).
 * Here the two requests land in one group commit: a push that needs something, then a delete of it. The catalog was
 * read before both, as it is while a batch is being committed, so only a rule that reads the workspace sees the push.
 */
class RegistryChangesBatchTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String SERVICE = "artifact-service";
    private static final RepositoryName REPO = new RepositoryName("builds/web");
    private static final Actor ALICE = Actor.user("alice");
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    private final InMemoryRepository repository = new InMemoryRepository();
    private final List<GroupCommitStateBranch> opened = new ArrayList<>();
    private final Digest config = Digest.of(bytes("{}"));
    private final Digest layer = Digest.of(bytes("layer"));
    private final Digest newLayer = Digest.of(bytes("new layer"));
    private final byte[] first = bytes("first manifest");
    private final Digest firstDigest = Digest.of(first);

    private GatedBranchBackend gated;
    private GroupCommitStateBranch branch;
    private Catalog catalog;

    @BeforeEach
    void oneManifestNeedingTheLayer() {
        GroupCommitStateBranch seed = open(repository.branch(SERVICE));
        await(seed.apply(change(RegistryChanges.linkBlob(REPO, config, 2, NOW, "alice"))));
        await(seed.apply(change(RegistryChanges.linkBlob(REPO, layer, 5, NOW, "alice"))));
        await(seed.apply(change(RegistryChanges.linkBlob(REPO, newLayer, 5, NOW, "alice"))));
        await(seed.apply(change(put(first, image(config, layer)))));

        gated = new GatedBranchBackend(repository.branch(SERVICE));
        branch = open(gated);
        catalog = new Catalog(branch);
        catalog.load(TIMEOUT);
    }

    @AfterEach
    void close() {
        gated.release();
        opened.forEach(GroupCommitStateBranch::close);
    }

    @Test
    void deletingAManifestKeepsTheLinksOfAManifestPushedInTheSameBatch() throws Exception {
        byte[] second = bytes("second manifest");
        List<CompletableFuture<CommitReceipt>> batch = inOneBatch(put(second, image(config, layer)),
                RegistryChanges.deleteManifest(REPO, firstDigest, TagRules.NONE, new ManifestGuard()));

        assertEquals(2, batch.get(1).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).changesInCommit(), "one batch");
        assertTrue(exists(ArtifactPaths.manifest(REPO, Digest.of(second))));
        assertTrue(exists(ArtifactPaths.blobLink(REPO, layer)), "the second manifest still needs the layer");
        assertTrue(exists(ArtifactPaths.blobLink(REPO, config)), "the second manifest still needs the config");
    }

    @Test
    void aBlobNeededByAManifestPushedInTheSameBatchCannotBeDeleted() throws Exception {
        // no manifest the catalog knows needs the new layer: its only user is the push in the same batch
        byte[] second = bytes("second manifest");
        List<CompletableFuture<CommitReceipt>> batch = inOneBatch(put(second, image(config, newLayer)),
                RegistryChanges.unlinkBlob(REPO, newLayer));
        batch.get(0).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> batch.get(1).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        CatalogRefusal refusal = assertInstanceOf(CatalogRefusal.class, refused.getCause());
        assertEquals(CatalogRefusal.Reason.PROTECTED, refusal.reason());
        assertTrue(exists(ArtifactPaths.blobLink(REPO, newLayer)));
    }

    @Test
    void aManifestIncludedByAnIndexPushedInTheSameBatchCannotBeDeleted() throws Exception {
        byte[] index = bytes("an index");
        Manifest indexManifest = new Manifest(MediaTypes.OCI_INDEX, null,
                List.of(new Descriptor(MediaTypes.OCI_MANIFEST, firstDigest, first.length, null, null)), true,
                Optional.empty(), Map.of());
        List<CompletableFuture<CommitReceipt>> batch = inOneBatch(put(index, indexManifest),
                RegistryChanges.deleteManifest(REPO, firstDigest, TagRules.NONE, new ManifestGuard()));
        batch.get(0).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> batch.get(1).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        CatalogRefusal refusal = assertInstanceOf(CatalogRefusal.class, refused.getCause());
        assertEquals(CatalogRefusal.Reason.PROTECTED, refusal.reason());
        assertTrue(exists(ArtifactPaths.manifest(REPO, firstDigest)));
    }

    /** Holds an unrelated commit in flight, queues {@code edits} behind it in order, then lets them commit together. */
    @SafeVarargs
    private List<CompletableFuture<CommitReceipt>> inOneBatch(Consumer<RecordingWorkspace>... edits)
            throws InterruptedException {
        CompletableFuture<CommitReceipt> holder = branch.apply(new Change("unrelated", ALICE,
                ws -> ws.put(ArtifactPaths.deployment("staging"), "{\"current\":[],\"lastGood\":[]}")))
                .subscribeAsCompletionStage();
        gated.awaitFirstCommit(TIMEOUT);
        List<CompletableFuture<CommitReceipt>> queued = new ArrayList<>();
        for (Consumer<RecordingWorkspace> edit : edits) {
            queued.add(branch.apply(change(edit)).subscribeAsCompletionStage());
        }
        gated.release();
        await(holder);
        return queued;
    }

    private Consumer<RecordingWorkspace> put(byte[] body, Manifest manifest) {
        return RegistryChanges.putManifest(REPO, Digest.of(body), body, manifest, Optional.empty(), NOW, "alice",
                TagRules.NONE);
    }

    private Manifest image(Digest configDigest, Digest layerDigest) {
        return new Manifest(MediaTypes.OCI_MANIFEST, null,
                List.of(new Descriptor(MediaTypes.EMPTY_CONFIG, configDigest, 2, null, null),
                        new Descriptor("application/octet-stream", layerDigest, 5, null, null)),
                false, Optional.empty(), Map.of());
    }

    private boolean exists(String path) {
        GroupCommitStateBranch fresh = open(repository.branch(SERVICE));
        return fresh.read(path).await().atMost(TIMEOUT).isPresent();
    }

    private GroupCommitStateBranch open(dev.monkeytown.state.spi.BranchBackend backend) {
        GroupCommitStateBranch opened = new GroupCommitStateBranch(SERVICE, backend, StateBranchOptions.defaults());
        this.opened.add(opened);
        return opened;
    }

    private static Change change(Consumer<RecordingWorkspace> edits) {
        return new Change("registry change", ALICE, ws -> edits.accept(new RecordingWorkspace(ws)));
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static <T> T await(io.smallrye.mutiny.Uni<T> uni) {
        return uni.await().atMost(TIMEOUT);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
