package dev.monkeytown.build.outputs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.monkeytown.build.builds.Attempt;
import dev.monkeytown.build.builds.Build;
import dev.monkeytown.build.engine.OutputPublisher;
import dev.monkeytown.build.engine.OutputRefusedException;
import dev.monkeytown.build.pipeline.OutputGlobs;
import dev.monkeytown.build.pipeline.Pipeline;
import dev.monkeytown.github.ApiResponse;
import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.github.GitHubUnavailableException;
import dev.monkeytown.runner.RunnerRef;

/**
 * A GitHub-mode build's outputs: the Actions artifacts of the attempt's workflow run, copied into artifact-service
 * (Actions keeps them 90 days; the registry keeps them by its own retention).
 *
 * <p>
 * The run's artifacts are listed ({@code GET .../actions/runs/{run_id}/artifacts}) and each downloaded: GitHub answers
 * {@code GET .../actions/artifacts/{id}/zip} with a 302 to a short-lived URL on another host, fetched without the API
 * token. Each zip is unpacked under the artifact's name ({@code upload-artifact} with {@code name: dist, path: dist/}
 * gives {@code dist/site/index.html}, the path the file had in the checkout); the files matching the pipeline's
 * {@code outputs} are then pushed by {@link RegistryOutputs} exactly as a local build's are. What a re-run of the
 * workflow would make again is refused with {@link OutputRefusedException} (the attempt fails as {@code build}, not
 * retried by default): an artifact name that cannot be a folder (checked first), entries that would leave the folder
 * ({@code ..}, absolute paths), an artifact larger than {@code maxBytes}, a run whose artifacts unpack to more than
 * {@code maxRunBytes} in total or hold more than {@code maxRunFiles} entries. An artifact none of whose files the
 * {@code outputs} globs could match (by its name, the folder it unpacks to) is not downloaded at all.
 *
 * <p>
 * Each download (the redirect, the answer's headers and its whole body, unpacked as it arrives) runs on this class's
 * own bounded executor and must end within {@code timeout}; past it the download is cancelled and its stream closed.
 * That bounds one download only: a run may list many artifacts, and the listing and the registry push have only their
 * per-request limits, so the copy as a whole is bounded by the engine ({@code copy-timeout}), which interrupts
 * {@link #publish}: the download waited on is abandoned and nothing is tagged. An artifact GitHub no longer has (410:
 * expired), a download past its deadline or any other failure to copy fails the attempt as {@code infra}: a retry
 * runs the workflow again, which makes the artifacts anew.
 */
public final class ActionsArtifacts implements OutputPublisher, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ActionsArtifacts.class);
    private static final int PAGE = 100;
    private static final int MAX_PAGES = 10;
    /** How long a cancelled download may take to stop before its folder is removed anyway. */
    private static final Duration ABANDON_WAIT = Duration.ofSeconds(5);

    private final GitHubAccess access;
    private final String repositoryPath;
    private final Path staging;
    private final RegistryOutputs registry;
    private final long maxBytes;
    private final long maxRunBytes;
    private final int maxRunFiles;
    private final Duration timeout;
    /** Downloads in flight; as many threads as the engine copies outputs at once, so a download never queues. */
    private final ExecutorService downloads;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    /**
     * @param repository {@code owner/name}
     * @param staging where files wait for their push ({@code <staging>/<run-id>/}, what {@code registry} reads)
     * @param maxBytes largest artifact, as listed (its zip) and as unpacked
     * @param maxRunBytes most bytes all the artifacts of one run may unpack to
     * @param maxRunFiles most zip entries (files, empty or not, and folders) all the artifacts of one run may hold
     * @param timeout how long one artifact's download may take, from its request to the last byte of its body
     */
    public ActionsArtifacts(GitHubAccess access, String repository, Path staging, RegistryOutputs registry,
            long maxBytes, long maxRunBytes, int maxRunFiles, Duration timeout) {
        this.access = Objects.requireNonNull(access, "access");
        this.repositoryPath = "/repos/" + Objects.requireNonNull(repository, "repository");
        this.staging = Objects.requireNonNull(staging, "staging");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.maxBytes = maxBytes;
        this.maxRunBytes = maxRunBytes;
        this.maxRunFiles = maxRunFiles;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        AtomicInteger n = new AtomicInteger();
        this.downloads = Executors.newFixedThreadPool(OutputPublisher.CONCURRENT_COPIES, r -> {
            Thread thread = new Thread(r, "build-artifact-download-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public Published publish(Build build, Pipeline pipeline, String runId) throws IOException {
        String workflowRunId = build.attempts().stream().filter(a -> a.runId().equals(runId)).findFirst()
                .map(Attempt::runner).flatMap(RunnerRef::externalId)
                .orElseThrow(() -> new IOException("no workflow run is known for attempt " + runId
                        + ", so its artifacts cannot be found"));
        Path unpacked = staging.resolve(runId + ".actions");
        delete(unpacked);
        OutputGlobs globs = new OutputGlobs(pipeline.outputs());
        try {
            AtomicLong runBytes = new AtomicLong();
            AtomicInteger runFiles = new AtomicInteger();
            for (JsonNode artifact : list(workflowRunId)) {
                String name = artifact.path("name").asText("");
                // first: a name that cannot be a folder (a NUL in it) cannot be judged by the globs either
                if (!OutputGlobs.isSafeName(name)) {
                    throw new OutputRefusedException("artifact '" + name.replace('\0', '?')
                            + "' has a name that cannot be a folder");
                }
                if (!globs.mayMatchUnder(name)) {
                    LOG.debugf("artifact %s of workflow run %s holds no declared output: not downloaded", name,
                            workflowRunId);
                    continue;
                }
                copy(artifact, unpacked, runBytes, runFiles, workflowRunId);
            }
            Path target = staging.resolve(runId);
            delete(target);
            if (Files.isDirectory(unpacked)) {
                for (String relative : globs.match(unpacked)) {
                    Path copy = target.resolve(relative);
                    Files.createDirectories(copy.getParent());
                    Files.move(unpacked.resolve(relative), copy, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } finally {
            deleteQuietly(unpacked);
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new java.io.InterruptedIOException("the copy of " + runId + " was stopped before its push");
        }
        return registry.publish(build, pipeline, runId);
    }

    @Override
    public void close() {
        downloads.shutdownNow();
    }

    @Override
    public void discard(String runId) {
        registry.discard(runId);
        try {
            delete(staging.resolve(runId + ".actions"));
        } catch (IOException e) {
            LOG.debugf("could not remove the downloads of %s: %s", runId, e.getMessage());
        }
    }

    private List<JsonNode> list(String workflowRunId) throws IOException {
        List<JsonNode> all = new ArrayList<>();
        for (int page = 1; page <= MAX_PAGES; page++) {
            ApiResponse response = get(repositoryPath + "/actions/runs/" + workflowRunId + "/artifacts?per_page="
                    + PAGE + "&page=" + page);
            if (!response.isSuccess()) {
                throw new IOException("GitHub answered HTTP " + response.status() + " listing the artifacts of"
                        + " workflow run " + workflowRunId);
            }
            JsonNode artifacts = json.readTree(response.body()).path("artifacts");
            artifacts.forEach(all::add);
            if (artifacts.size() < PAGE) {
                break;
            }
        }
        return all;
    }

    /**
     * Downloads and unpacks one artifact within {@link #timeout}, on {@link #downloads}: past the deadline the task is
     * interrupted and the body's stream closed (the JDK client's {@code send} timeout covers the headers only).
     */
    private void copy(JsonNode artifact, Path into, AtomicLong runBytes, AtomicInteger runFiles, String workflowRunId)
            throws IOException {
        String name = artifact.path("name").asText("");
        AtomicReference<InputStream> body = new AtomicReference<>();
        java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
        Future<Void> download;
        try {
            download = downloads.submit(() -> {
                try {
                    download(artifact, into, runBytes, runFiles, workflowRunId, body);
                } finally {
                    ended.countDown();
                }
                return null;
            });
        } catch (RejectedExecutionException e) {
            throw new IOException("build-service is shutting down; artifact " + name + " was not copied", e);
        }
        try {
            download.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            abort(download, body);
            awaitEnd(ended, name);
            throw new IOException("artifact " + name + " was not downloaded within " + timeout
                    + " (monkeytown.build.github.artifact-timeout)");
        } catch (InterruptedException e) {
            abort(download, body);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted downloading artifact " + name, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("artifact " + name + " could not be copied: " + e.getCause(), e.getCause());
        }
    }

    /**
     * After a cancel, waits a little for the download to stop writing, so the folder it unpacks into is not deleted
     * under it (deletion stays best-effort: {@link #discard} removes what is left).
     */
    private static void awaitEnd(java.util.concurrent.CountDownLatch ended, String name) {
        try {
            if (!ended.await(ABANDON_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("the abandoned download of artifact %s did not stop within %s", name, ABANDON_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteQuietly(Path root) {
        try {
            delete(root);
        } catch (IOException | java.io.UncheckedIOException e) {
            LOG.debugf("could not remove %s now (an abandoned download may still write there): %s", root,
                    e.getMessage());
        }
    }

    private static void abort(Future<Void> download, AtomicReference<InputStream> body) {
        download.cancel(true);
        InputStream stream = body.get();
        if (stream != null) {
            try {
                stream.close(); // ends the HTTP exchange: a read blocked on a stalled body fails at once
            } catch (IOException e) {
                LOG.debugf("closing an abandoned download: %s", e.getMessage());
            }
        }
    }

    private void download(JsonNode artifact, Path downloads, AtomicLong runBytes, AtomicInteger runFiles,
            String workflowRunId, AtomicReference<InputStream> opened) throws IOException {
        String name = artifact.path("name").asText("");
        long id = artifact.path("id").asLong();
        if (artifact.path("size_in_bytes").asLong(0) > maxBytes) {
            throw new OutputRefusedException("artifact " + name + " is larger than " + maxBytes + " bytes"
                    + " (monkeytown.build.github.max-artifact-bytes)");
        }
        ApiResponse redirect = get(repositoryPath + "/actions/artifacts/" + id + "/zip");
        if (redirect.status() == 410) {
            throw new IOException("artifact " + name + " expired at GitHub before it was copied (HTTP 410)");
        }
        String location = redirect.header("Location").orElse("");
        if (redirect.status() != 302 || location.isEmpty()) {
            throw new IOException("GitHub answered HTTP " + redirect.status() + " to the download of artifact "
                    + name);
        }
        // the short-lived URL is on another host: never send it the API token
        HttpResponse<InputStream> zip;
        try {
            zip = http.send(HttpRequest.newBuilder(URI.create(location)).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted downloading artifact " + name, e);
        }
        try (InputStream body = zip.body()) {
            opened.set(body);
            if (Thread.currentThread().isInterrupted()) {
                throw new IOException("the download of artifact " + name + " was abandoned");
            }
            if (zip.statusCode() != 200) {
                throw new IOException("the download URL of artifact " + name + " answered HTTP " + zip.statusCode());
            }
            unzip(body, downloads.resolve(name), name, runBytes, runFiles, workflowRunId);
        }
    }

    /**
     * Unpacks one artifact. Every entry counts against {@code maxRunFiles}, an empty file or a folder too: bytes alone
     * would let a zip of a million empty entries through both byte caps (a million files, a manifest of a million
     * layers). What breaks a cap, or an entry leaving the folder, is refused: a re-run makes the same zip.
     */
    private void unzip(InputStream body, Path into, String name, AtomicLong runBytes, AtomicInteger runFiles,
            String workflowRunId) throws IOException {
        long total = 0;
        Path root = into.toAbsolutePath().normalize();
        try (ZipInputStream zip = new ZipInputStream(body)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (runFiles.incrementAndGet() > maxRunFiles) {
                    throw new OutputRefusedException("the artifacts of workflow run " + workflowRunId + " hold more than "
                            + maxRunFiles + " entries (monkeytown.build.github.max-run-output-files)");
                }
                Path file;
                try {
                    file = root.resolve(entry.getName()).normalize();
                } catch (java.nio.file.InvalidPathException e) {
                    throw new OutputRefusedException("artifact " + name + " holds an entry whose name cannot be a path");
                }
                if (!file.startsWith(root) || file.equals(root) || entry.getName().startsWith("/")) {
                    throw new OutputRefusedException("artifact " + name + " holds '" + entry.getName()
                            + "', a path outside its folder");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(file);
                    continue;
                }
                Files.createDirectories(file.getParent());
                try (OutputStream out = Files.newOutputStream(file)) {
                    byte[] buffer = new byte[64 * 1024];
                    for (int n = zip.read(buffer); n >= 0; n = zip.read(buffer)) {
                        total += n;
                        if (total > maxBytes) {
                            throw new OutputRefusedException("artifact " + name + " unpacks to more than " + maxBytes
                                    + " bytes");
                        }
                        if (runBytes.addAndGet(n) > maxRunBytes) {
                            throw new OutputRefusedException("the artifacts of workflow run " + workflowRunId
                                    + " unpack to more than " + maxRunBytes
                                    + " bytes (monkeytown.build.github.max-run-output-bytes)");
                        }
                        out.write(buffer, 0, n);
                    }
                }
            }
        }
    }

    private ApiResponse get(String path) throws IOException {
        try {
            return access.getImmutable(path);
        } catch (GitHubUnavailableException e) {
            throw new IOException("GitHub unreachable: " + e.getMessage(), e);
        }
    }

    private static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
