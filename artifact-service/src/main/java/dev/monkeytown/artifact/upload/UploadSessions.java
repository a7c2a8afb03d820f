package dev.monkeytown.artifact.upload;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

import dev.monkeytown.artifact.ArtifactConfig;
import dev.monkeytown.artifact.oci.RepositoryName;
import dev.monkeytown.artifact.storage.BlobStore;
import dev.monkeytown.artifact.storage.SpoolBudget;
import dev.monkeytown.artifact.storage.SpoolFile;

/**
 * The uploads in progress, by id. Bounded in number, and expired when left alone for {@code upload-expiry}: an
 * abandoned upload's spool file is deleted and its URL then answers {@code BLOB_UPLOAD_UNKNOWN}.
 */
@Singleton
public class UploadSessions {

    private final Map<String, UploadSession> sessions = new ConcurrentHashMap<>();
    private final ArtifactConfig config;
    private final BlobStore store;
    private final SpoolBudget budget;
    private final Clock clock;

    @Inject
    UploadSessions(ArtifactConfig config, BlobStore store, SpoolBudget budget) {
        this(config, store, budget, Clock.systemUTC());
    }

    UploadSessions(ArtifactConfig config, BlobStore store, SpoolBudget budget, Clock clock) {
        this.config = config;
        this.store = store;
        this.budget = budget;
        this.clock = clock;
    }

    /** Starts an upload, or empty when {@code max-uploads} are already in progress. */
    public Optional<UploadSession> start(RepositoryName repository, String user) throws IOException {
        if (sessions.size() >= config.maxUploads()) {
            return Optional.empty();
        }
        Path spoolDirectory = store.spoolDirectory();
        SpoolFile spool = SpoolFile.create(spoolDirectory, config.maxBlobSize().asLongValue(), budget);
        UploadSession session = new UploadSession(UUID.randomUUID().toString(), repository, user, spool,
                clock.instant());
        sessions.put(session.id(), session);
        return Optional.of(session);
    }

    /** The upload {@code id} of {@code repository}, if it is still in progress. */
    public Optional<UploadSession> find(RepositoryName repository, String id) {
        UploadSession session = sessions.get(id);
        if (session == null || session.closed() || !session.repository().equals(repository)) {
            return Optional.empty();
        }
        session.touch(clock.instant());
        return Optional.of(session);
    }

    /**
     * Ends an upload; with {@code discard} its spool file goes too (cancelled, failed or expired), and with it the
     * upload's share of the spool budget. Without, the finished spool's {@link dev.monkeytown.artifact.storage.SpooledBlob}
     * holds that share until it is stored. Ending an upload twice does nothing more.
     */
    public void end(UploadSession session, boolean discard) {
        session.close();
        sessions.remove(session.id());
        if (discard) {
            session.spool().discard();
        }
    }

    public int inProgress() {
        return sessions.size();
    }

    @Scheduled(every = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expireAbandoned() {
        expire(clock.instant().minus(config.uploadExpiry()));
    }

    int expire(Instant idleSince) {
        int expired = 0;
        for (UploadSession session : sessions.values()) {
            if (session.lastActivity().isBefore(idleSince) && session.tryLock()) {
                try {
                    end(session, true);
                    expired++;
                } finally {
                    session.unlock();
                }
            }
        }
        if (expired > 0) {
            Log.infof("Expired %d abandoned upload(s), idle for more than %s", expired, format(config.uploadExpiry()));
        }
        return expired;
    }

    private static String format(Duration duration) {
        return duration.toString().substring(2).toLowerCase();
    }
}
