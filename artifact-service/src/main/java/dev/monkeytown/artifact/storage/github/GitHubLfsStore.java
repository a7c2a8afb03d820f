package dev.monkeytown.artifact.storage.github;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;

import dev.monkeytown.artifact.ArtifactConfig;
import dev.monkeytown.artifact.oci.Digest;
import dev.monkeytown.artifact.storage.BlobContent;
import dev.monkeytown.artifact.storage.BlobStore;
import dev.monkeytown.artifact.storage.SpooledBlob;
import dev.monkeytown.state.quarkus.GitHubConfig;

/**
 * Blobs in the Git LFS storage of the Monkeytown repository on GitHub. A push asks the batch API for an upload; an
 * object GitHub already has comes back without actions and costs nothing more; otherwise the spool file is streamed
 * to the upload URL and the verify callback confirms it. A pull asks for a download URL and streams from it.
 * <p>
 * GitHub keeps LFS objects until the repository is deleted (or its LFS objects purged through support): there is no
 * API to delete one, so garbage collection here only counts what could be reclaimed.
 */
public final class GitHubLfsStore implements BlobStore {

    /** An action expiring sooner than this is not started: asked for again (git-lfs waits for the same margin). */
    static final Duration EXPIRY_MARGIN = Duration.ofSeconds(5);
    static final int BATCH_TRIES = 3;

    private final LfsBatchClient client;
    private final Path spool;
    private final String repository;

    public GitHubLfsStore(LfsBatchClient client, Path spool, String repository) {
        this.client = client;
        this.spool = spool;
        this.repository = repository;
    }

    public static BlobStore create(ArtifactConfig config, GitHubConfig github, Path spool, MeterRegistry registry) {
        String repository = github.repository().filter(r -> !r.isBlank()).orElseThrow(() -> new IllegalStateException(
                "GitHub mode needs monkeytown.github.repository (owner/name) for its LFS storage"));
        String lfsUrl = config.lfsUrl().orElse("https://github.com/" + repository + ".git/info/lfs");
        LfsBatchClient client = new LfsBatchClient(lfsUrl, github.login().orElse("x-access-token"),
                github.token().orElseThrow(() -> new IllegalStateException("GitHub mode needs monkeytown.github.token")),
                github.unavailableAfter(), registry);
        return new GitHubLfsStore(client, spool, repository);
    }

    @Override
    public Path spoolDirectory() {
        return spool;
    }

    @Override
    public void put(SpooledBlob blob) throws IOException {
        Map<String, LfsAction> actions = unexpired("upload", blob.digest(),
                () -> client.upload(blob.digest(), blob.size()));
        Optional<LfsAction> upload = Optional.ofNullable(actions.get("upload"));
        if (upload.isPresent()) {
            client.put(upload.get(), blob.file(), blob.size());
            LfsAction verify = actions.get("verify");
            if (verify != null) {
                client.verify(verify, blob.digest(), blob.size());
            }
        }
        Files.deleteIfExists(blob.file());
    }

    @Override
    public BlobContent open(Digest digest, long size, long offset, long length) throws IOException {
        LfsAction download = Optional.ofNullable(unexpired("download", digest, () -> client.download(digest, size))
                .get("download")).orElseThrow(
                        () -> new LfsRefusedException(404,
                                "GitHub LFS offered no download of object " + digest.oid()));
        return new BlobContent.Streamed(client.get(download, offset, length, size));
    }

    /**
     * The object's actions from a batch answer whose {@code action} has not expired (nor will within
     * {@link #EXPIRY_MARGIN}): an expired URL would only be refused by the storage host, so the batch API is asked
     * again, at most {@link #BATCH_TRIES} times, as git-lfs itself does.
     */
    private Map<String, LfsAction> unexpired(String action, Digest digest, BatchCall call) throws IOException {
        for (int attempt = 1;; attempt++) {
            Map<String, LfsAction> actions = call.batch().getOrDefault(digest.oid(), Map.of());
            LfsAction wanted = actions.get(action);
            if (wanted == null || !wanted.expiresWithin(EXPIRY_MARGIN, Instant.now())) {
                return actions;
            }
            if (attempt == BATCH_TRIES) {
                throw new LfsUnavailableException("GitHub LFS answered " + attempt + " batch requests in a row with "
                        + action + " URLs that had expired or were about to", null, Optional.of(EXPIRY_MARGIN));
            }
        }
    }

    @FunctionalInterface
    private interface BatchCall {
        Map<String, Map<String, LfsAction>> batch() throws IOException;
    }

    @Override
    public boolean deletesObjects() {
        return false;
    }

    @Override
    public void delete(Digest digest) {
        throw new UnsupportedOperationException("GitHub LFS objects cannot be deleted one by one");
    }

    @Override
    public List<Digest> objectsStoredBefore(Instant before) {
        return List.of(); // the LFS API cannot list a repository's objects
    }

    @Override
    public String describe() {
        return "GitHub LFS storage of " + repository;
    }
}
