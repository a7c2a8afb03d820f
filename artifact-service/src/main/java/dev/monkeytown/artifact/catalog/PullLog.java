package dev.monkeytown.artifact.catalog;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

import dev.monkeytown.artifact.oci.Digest;
import dev.monkeytown.artifact.oci.RepositoryName;
import dev.monkeytown.state.Actor;

/**
 * Pull counts and times (retention keeps what was pulled recently). A pull is far too frequent to cost a commit each:
 * pulls are counted in memory and flushed every {@code pull-flush-interval} in one commit for every repository. A crash
 * loses at most the pulls of one interval, which can only make retention see an artifact as pulled a little earlier
 * than it was.
 */
@Singleton
public class PullLog {

    private final CatalogWriter writer;
    private final Counter pullCounter;
    private final Clock clock = Clock.systemUTC();
    private Map<RepositoryName, Map<String, PullRecord>> pending = new HashMap<>();

    PullLog(CatalogWriter writer, MeterRegistry registry) {
        this.writer = writer;
        this.pullCounter = Counter.builder("monkeytown.artifacts.pulls").description("Manifests pulled")
                .register(registry);
    }

    public synchronized void pulled(RepositoryName repository, Digest digest) {
        pullCounter.increment();
        pending.computeIfAbsent(repository, r -> new HashMap<>()).merge(digest.toString(),
                new PullRecord(1, clock.instant()), PullRecord::plus);
    }

    /** Pulls not yet on the branch, for listings that want the current count. */
    public synchronized PullRecord pending(RepositoryName repository, Digest digest) {
        return pending.getOrDefault(repository, Map.of()).getOrDefault(digest.toString(), new PullRecord(0, null));
    }

    /**
     * The counts on the branch. One that cannot be read (a hand edit, a bad write) would otherwise fail every flush
     * for every repository: it counts anew, logged as an error (the old record stays in the branch's history).
     */
    private static Map<String, PullRecord> recorded(RecordingWorkspace ws, String path) {
        try {
            return ws.read(path).map(d -> CatalogJson.readPulls(d.content())).orElse(Map.of());
        } catch (RuntimeException e) {
            Log.errorf("Pull counts %s on the state branch are unreadable (%s): counting anew", path, e.getMessage());
            return Map.of();
        }
    }

    @Scheduled(every = "${monkeytown.artifacts.pull-flush-interval:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledFlush() {
        try {
            flush();
        } catch (RuntimeException e) {
            Log.warnf("Pull counts not recorded yet, will retry: %s", e.toString());
        }
    }

    /** Writes every pending pull in one commit; on failure they stay pending for the next flush. */
    public void flush() {
        Map<RepositoryName, Map<String, PullRecord>> batch;
        synchronized (this) {
            if (pending.isEmpty()) {
                return;
            }
            batch = pending;
            pending = new HashMap<>();
        }
        try {
            writer.apply("record pulls of " + batch.size() + " repositories", Actor.service("artifact-service"),
                    ws -> batch.forEach((repository, pulls) -> {
                        String path = ArtifactPaths.pulls(repository);
                        Map<String, PullRecord> merged = new TreeMap<>(recorded(ws, path));
                        pulls.forEach((digest, record) -> merged.merge(digest, record, PullRecord::plus));
                        ws.putJson(path, merged);
                    }));
        } catch (RuntimeException e) {
            synchronized (this) {
                batch.forEach((repository, pulls) -> pulls.forEach((digest, record) -> pending
                        .computeIfAbsent(repository, r -> new HashMap<>()).merge(digest, record, PullRecord::plus)));
            }
            throw e;
        }
    }

}
