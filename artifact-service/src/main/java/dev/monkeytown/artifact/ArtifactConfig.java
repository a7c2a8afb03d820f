package dev.monkeytown.artifact;

import java.time.Duration;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** artifact-service's settings ({@code monkeytown.artifacts.*}). */
@ConfigMapping(prefix = "monkeytown.artifacts")
public interface ArtifactConfig {

    /**
     * Largest blob accepted: the spec's Git LFS file size limit ("500MB LFS"). A larger upload is refused before
     * anything is stored. {@code quarkus.http.limits.max-body-size} must be at least this.
     */
    @WithDefault("500M")
    MemorySize maxBlobSize();

    /** Total bytes of stored blobs a push may bring the registry to: the spec's "LFS limit: 5GB per repo". */
    @WithDefault("5G")
    MemorySize quota();

    /** Largest manifest accepted; the spec asks registries to take at least 4 MiB. */
    @WithDefault("4M")
    MemorySize maxManifestSize();

    /** An upload untouched this long is abandoned: its spool file is deleted and its URL answers 404. */
    @WithDefault("1h")
    Duration uploadExpiry();

    /** Most uploads in progress at once; more are refused with 429 (each holds a file and a worker while busy). */
    @WithDefault("200")
    int maxUploads();

    /**
     * Disk the upload spool may take across every upload in progress at once. An upload whose bytes would pass it is
     * refused with 503 and {@code Retry-After} before they are written (a declared length before a byte is read);
     * what an upload holds is given back when it is stored, cancelled, fails or expires. Keep it below the free space
     * of the spool's disk (the local repository's, in local mode).
     */
    @WithDefault("2G")
    MemorySize spoolBudget();

    /** How often pull counts and times are written to the branch: one commit for all pulls of the interval. */
    @WithDefault("30s")
    Duration pullFlushInterval();

    /** Storage used above which the {@code monkeytown_artifacts_storage_level} gauge says warning (spec: 500 MB). */
    @WithDefault("500M")
    MemorySize storageWarning();

    /** Storage used above which it says critical (spec: 800 MB, "archive old data"). */
    @WithDefault("800M")
    MemorySize storageCritical();

    /**
     * The Git LFS API of the Monkeytown repository (GitHub mode), e.g.
     * {@code https://github.com/acme/monkeytown.git/info/lfs}. Default: derived from {@code monkeytown.github.repository}
     * on github.com.
     */
    Optional<String> lfsUrl();

    /** Garbage collection of blobs no repository links any more. */
    Gc gc();

    /** Retention: the rules file, the schedule, dry run or not. */
    Retention retention();

    interface Retention {
        /** The retention rules (YAML, see docs/artifacts.md); none: the spec's default, 6 months. */
        Optional<java.nio.file.Path> file();

        /** When scheduled runs happen: a Quartz cron expression, UTC (default: daily at 03:00). */
        @WithDefault("0 0 3 * * ?")
        String schedule();

        /** Scheduled runs only report what they would remove, unless this is false. */
        @WithDefault("true")
        boolean dryRun();
    }

    interface Gc {
        /** How often unlinked blobs are looked for. */
        @WithDefault("10m")
        Duration interval();

        /**
         * How long an unlinked blob's object is kept before it is deleted (locally): a push racing the collection,
         * or an operator's mistake, can still be undone by pushing the same content again.
         */
        @WithDefault("24h")
        Duration delay();
    }
}
