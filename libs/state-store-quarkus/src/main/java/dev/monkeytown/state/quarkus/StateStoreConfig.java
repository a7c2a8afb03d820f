package dev.monkeytown.state.quarkus;

import java.nio.file.Path;
import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where a service keeps its state branch. */
@ConfigMapping(prefix = "monkeytown.state")
public interface StateStoreConfig {

    enum Backend {
        /** A Git repository on this machine's disk (the embedded default; no token, no network). */
        LOCAL,
        /** The Monkeytown repository on GitHub. */
        GITHUB
    }

    /**
     * One active writer per branch: each instance takes the branch over when it starts and every change checks the
     * fence in its own commit, so an older instance (a rolling update, a second replica) stops writing and reports not
     * ready. Turn off only for a service whose changes are safe to interleave.
     */
    @WithDefault("true")
    boolean singleWriter();

    /** Bytes of documents a replica keeps in memory (the state branch's blob cache). */
    @WithDefault("64M")
    io.quarkus.runtime.configuration.MemorySize cacheSize();

    default long cacheBytes() {
        return cacheSize().asLongValue();
    }

    /** {@code local} or {@code github}. */
    @WithDefault("local")
    Backend backend();

    /** The local repository: the embedded default puts it in the suite's data directory. */
    @WithDefault("${monkeytown.home:.monkeytown}/repo")
    Path localRepository();

    /**
     * Longest a readiness check waits for the store to answer. Kept below the gateway's probe timeout (3 s) so
     * {@code /health} reports the failing check by name rather than a silent service.
     */
    @WithDefault("1s")
    Duration readinessTimeout();

    /**
     * While a readiness probe's refresh is still waiting (GitHub's back-off, a slow answer), the store counts as
     * reachable if it answered within this much time; the probe then answers from that last known state instead of
     * timing out.
     */
    @WithDefault("60s")
    Duration readinessStaleAfter();

    /**
     * How often the view re-reads the branch head, so documents another replica wrote become visible without a
     * write of our own. Cheap: a ref read locally, a conditional request (304, no quota) on GitHub.
     */
    @WithDefault("10s")
    Duration refreshInterval();

    /**
     * How long a write waits for an unreachable store before the caller gets a clear failure (the change is then not
     * acknowledged).
     */
    @WithDefault("30s")
    Duration unavailableWait();

    /**
     * What readiness says while the backend cannot be reached: {@code down} (default: a service that cannot record what
     * it is asked to do gets no traffic) or {@code degraded} (still ready, with {@code status=degraded} in the check's
     * data, once the view has been loaded; for a service whose reads stay useful from its in-memory view while writes
     * pause, such as agent-dispatcher).
     */
    @WithDefault("down")
    WhenUnavailable readinessWhenUnavailable();

    enum WhenUnavailable {
        DOWN, DEGRADED
    }
}
