package dev.monkeytown.artifact.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.runtime.configuration.MemorySize;

import dev.monkeytown.artifact.ArtifactConfig;
import dev.monkeytown.artifact.oci.Digest;
import dev.monkeytown.artifact.oci.RepositoryName;
import dev.monkeytown.artifact.storage.BlobContent;
import dev.monkeytown.artifact.storage.BlobStore;
import dev.monkeytown.artifact.storage.SpoolBudget;
import dev.monkeytown.artifact.storage.SpoolFullException;
import dev.monkeytown.artifact.storage.SpooledBlob;

/** Abandoned uploads expire: their spool files go and their ids stop answering; busy or fresh ones stay. */
class UploadSessionsTest {

    @TempDir
    Path spool;

    private final SpoolBudget budget = new SpoolBudget(1000);

    @Test
    void anUploadLeftAloneLongerThanTheExpiryIsGoneWithItsSpool() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
        UploadSessions sessions = new UploadSessions(config(Duration.ofHours(1), 10), store(spool), budget, clock);
        RepositoryName repo = new RepositoryName("a/b");
        UploadSession old = sessions.start(repo, "u").orElseThrow();
        old.spool().append(new ByteArrayInputStream(new byte[100]));
        clock.now = clock.now.plus(Duration.ofMinutes(50));
        UploadSession fresh = sessions.start(repo, "u").orElseThrow();
        clock.now = clock.now.plus(Duration.ofMinutes(20));

        assertEquals(1, sessions.expire(clock.now.minus(Duration.ofHours(1))));
        assertTrue(sessions.find(repo, old.id()).isEmpty());
        assertFalse(Files.exists(old.spool().path()));
        assertTrue(sessions.find(repo, fresh.id()).isPresent());
    }

    @Test
    void anUploadHoldsItsBytesInTheSpoolBudgetUntilItEndsOrExpires() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
        UploadSessions sessions = new UploadSessions(config(Duration.ofHours(1), 10), store(spool), budget, clock);
        RepositoryName repo = new RepositoryName("a/b");
        UploadSession abandoned = sessions.start(repo, "u").orElseThrow();
        abandoned.spool().append(new ByteArrayInputStream(new byte[600]));
        UploadSession cancelled = sessions.start(repo, "u").orElseThrow();
        cancelled.spool().append(new ByteArrayInputStream(new byte[300]));
        assertEquals(900, budget.reserved());

        // a third upload finds 100 bytes left: a declared 200 is refused before a byte is read, the upload intact
        UploadSession third = sessions.start(repo, "u").orElseThrow();
        assertThrows(SpoolFullException.class, () -> third.spool().reserveAhead(200));
        assertEquals(0, third.spool().size());
        // an undeclared body that runs past it: refused where it passes, its spool discarded, its bytes given back
        assertThrows(SpoolFullException.class, () -> third.spool().append(new ByteArrayInputStream(new byte[200])));
        assertFalse(Files.exists(third.spool().path()));
        assertEquals(900, budget.reserved());
        sessions.end(third, true); // as the endpoint does

        sessions.end(cancelled, true);
        assertEquals(600, budget.reserved(), "a cancelled upload gives its bytes back");
        clock.now = clock.now.plus(Duration.ofHours(2));
        assertEquals(1, sessions.expire(clock.now.minus(Duration.ofHours(1))));
        assertEquals(0, budget.reserved(), "an expired upload gives its bytes back");
    }

    @Test
    void aFinishedUploadHoldsItsBytesUntilTheBlobIsReleased() throws Exception {
        UploadSessions sessions = new UploadSessions(config(Duration.ofHours(1), 10), store(spool), budget,
                Clock.systemUTC());
        UploadSession session = sessions.start(new RepositoryName("a/b"), "u").orElseThrow();
        session.spool().append(new ByteArrayInputStream(new byte[400]));
        SpooledBlob blob = session.spool().finish();
        sessions.end(session, false);
        assertEquals(400, budget.reserved(), "the finished spool file is still on disk until it is stored");
        blob.release();
        blob.release();
        assertEquals(0, budget.reserved());
    }

    @Test
    void theNumberOfUploadsInProgressIsBounded() throws Exception {
        UploadSessions sessions = new UploadSessions(config(Duration.ofHours(1), 2), store(spool), budget,
                Clock.systemUTC());
        RepositoryName repo = new RepositoryName("a/b");
        assertTrue(sessions.start(repo, "u").isPresent());
        assertTrue(sessions.start(repo, "u").isPresent());
        assertTrue(sessions.start(repo, "u").isEmpty());
    }

    @Test
    void anUploadIsFoundOnlyThroughItsOwnRepository() throws Exception {
        UploadSessions sessions = new UploadSessions(config(Duration.ofHours(1), 2), store(spool), budget,
                Clock.systemUTC());
        UploadSession session = sessions.start(new RepositoryName("a/b"), "u").orElseThrow();
        assertTrue(sessions.find(new RepositoryName("c/d"), session.id()).isEmpty());
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static BlobStore store(Path spool) {
        return new BlobStore() {
            @Override
            public Path spoolDirectory() {
                return spool;
            }

            @Override
            public void put(SpooledBlob blob) {
                throw new UnsupportedOperationException();
            }

            @Override
            public BlobContent open(Digest digest, long size, long offset, long length) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean deletesObjects() {
                return true;
            }

            @Override
            public void delete(Digest digest) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<Digest> objectsStoredBefore(Instant before) {
                return List.of();
            }

            @Override
            public String describe() {
                return "test";
            }
        };
    }

    private static ArtifactConfig config(Duration expiry, int maxUploads) {
        return (ArtifactConfig) java.lang.reflect.Proxy.newProxyInstance(ArtifactConfig.class.getClassLoader(),
                new Class<?>[]{ArtifactConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "uploadExpiry" -> expiry;
                    case "maxUploads" -> maxUploads;
                    case "maxBlobSize" -> new MemorySize(java.math.BigInteger.valueOf(1 << 20));
                    case "toString" -> "test config";
                    default -> Optional.empty();
                });
    }
}
