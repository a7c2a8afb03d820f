package dev.monkeytown.github.testdouble;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The Actions artifacts of every repository's workflow runs, as {@code actions/upload-artifact} leaves them: a name, a
 * zip of the files (paths relative to the uploaded folder), a retention after which GitHub still lists it as
 * {@code expired} but answers its download with 410. The double has no runners, so a test uploads them for a run.
 */
public final class HostedArtifacts {

    /** GitHub keeps artifacts 90 days by default. */
    public static final Duration RETENTION = Duration.ofDays(90);

    /** One artifact: {@code zip} is what its download serves. */
    public record Artifact(long id, String repository, long runId, String name, byte[] zip, Instant createdAt,
            Instant expiresAt, boolean expired) {

        Artifact expire() {
            return new Artifact(id, repository, runId, name, zip, createdAt, Instant.now(), true);
        }
    }

    private final Map<Long, Artifact> artifacts = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(7_000_000);
    private final java.util.Deque<Duration> stalls = new java.util.concurrent.ConcurrentLinkedDeque<>();

    /**
     * The workflow run uploaded {@code files} (path relative to the uploaded folder → bytes) as artifact {@code name};
     * returns the artifact's id.
     */
    public long upload(String repository, long runId, String name, Map<String, byte[]> files) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        long id = ids.incrementAndGet();
        artifacts.put(id, new Artifact(id, repository, runId, name, zip(files), now, now.plus(RETENTION), false));
        return id;
    }

    /** Its retention ran out: still listed, {@code expired: true}; its download answers 410. */
    public void expire(long id) {
        artifacts.computeIfPresent(id, (k, artifact) -> artifact.expire());
        if (!artifacts.containsKey(id)) {
            throw new NoSuchElementException("no artifact " + id);
        }
    }

    /**
     * The next {@code count} downloads from the storage host stall mid-body, as a slow or overloaded storage host does:
     * the status line, the headers (the full {@code Content-Length}) and the first half of the zip arrive at once, then
     * nothing for {@code hold}, then the connection is closed. A client whose deadline covers only the headers waits
     * out the whole {@code hold}.
     */
    public void stallNextDownloads(int count, Duration hold) {
        for (int i = 0; i < count; i++) {
            stalls.add(hold);
        }
    }

    /** The stall the next download meets, if one is armed. */
    Optional<Duration> takeStall() {
        return Optional.ofNullable(stalls.poll());
    }

    public Optional<Artifact> artifact(long id) {
        return Optional.ofNullable(artifacts.get(id));
    }

    /** A run's artifacts, oldest first. */
    public List<Artifact> ofRun(String repository, long runId) {
        return artifacts.values().stream().filter(a -> a.repository().equalsIgnoreCase(repository))
                .filter(a -> a.runId() == runId).sorted(Comparator.comparing(Artifact::id)).toList();
    }

    static byte[] zip(Map<String, byte[]> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> file : new TreeMap<>(files).entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
