package dev.monkeytown.artifact.retention;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import jakarta.inject.Singleton;

import io.quarkus.logging.Log;

import dev.monkeytown.artifact.ArtifactConfig;

/**
 * The retention file ({@code monkeytown.artifacts.retention.file}, in Kubernetes a mounted ConfigMap), re-read when it
 * changes. A file that does not parse is reported and the last good policy stays in force; without a file the default
 * policy (6 months) applies.
 */
@Singleton
public class RetentionPolicySource {

    private final Optional<Path> file;
    private volatile RetentionPolicy policy = RetentionPolicy.defaults();
    private volatile String lastRead;
    private volatile String lastStamp;
    private volatile Optional<String> problem = Optional.empty();

    RetentionPolicySource(ArtifactConfig config) {
        this.file = config.retention().file();
        reload();
    }

    public RetentionPolicy current() {
        reload();
        return policy;
    }

    /** Why the file in force is not the file on disk, if it is not. */
    public Optional<String> problem() {
        return problem;
    }

    private synchronized void reload() {
        if (file.isEmpty()) {
            return;
        }
        String text;
        try {
            // consulted on every tag push: only a file whose time or size changed is read again
            String stamp = Files.getLastModifiedTime(file.get()) + "/" + Files.size(file.get());
            if (stamp.equals(lastStamp)) {
                return;
            }
            lastStamp = stamp;
            text = Files.readString(file.get());
        } catch (IOException e) {
            problem = Optional.of("cannot read " + file.get() + ": " + e.getMessage());
            return;
        }
        if (text.equals(lastRead)) {
            return;
        }
        lastRead = text;
        try {
            policy = RetentionFile.parse(text, file.get().toString());
            problem = Optional.empty();
            Log.infof("Retention policy from %s: %d rule(s), %d immutable tag rule(s)", file.get(),
                    policy.rules().size(), policy.immutable().size());
        } catch (RetentionFile.Invalid e) {
            problem = Optional.of(file.get() + ": " + e.getMessage() + "; the previous policy stays in force");
            Log.warnf("Retention file %s is invalid, keeping the previous policy: %s", file.get(), e.getMessage());
        }
    }
}
