package dev.monkeytown.state.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.MemorySize;

import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.ForwardingBranchBackend;
import dev.monkeytown.state.engine.GroupCommitStateBranch;
import dev.monkeytown.state.engine.StateBranchOptions;
import dev.monkeytown.state.fence.FencedOffException;
import dev.monkeytown.state.fence.FencedStateBranch;
import dev.monkeytown.state.fence.WriterFence;
import dev.monkeytown.state.memory.InMemoryRepository;
import dev.monkeytown.state.spi.BackendException;

/** Readiness answers within its timeout, from the last known state when a refresh is held up. */
class StateStoreReadinessTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final InMemoryRepository repository = new InMemoryRepository();
    private final SlowHead backend = new SlowHead(repository.branch("svc"));
    private final GroupCommitStateBranch branch = new GroupCommitStateBranch("svc", backend,
            StateBranchOptions.defaults());
    private final WriterFence fence = new WriterFence("this", Clock.systemUTC());

    @AfterEach
    void close() {
        backend.release.countDown();
        branch.close();
    }

    @Test
    void aProbeWhoseRefreshIsHeldUpAnswersFromTheLastContact() {
        branch.apply(put("a.json")).await().atMost(PATIENCE);
        backend.holdHeads = true;

        HealthCheckResponse response = readiness(StateStoreConfig.WhenUnavailable.DOWN).call().await()
                .atMost(PATIENCE);

        assertEquals(HealthCheckResponse.Status.UP, response.getStatus());
        assertTrue(data(response, "status").startsWith("answered from the last contact"), data(response, "status"));
    }

    @Test
    void aProbeIsDownWhenTheStoresLastWordWasAFailure() {
        branch.apply(put("a.json")).await().atMost(PATIENCE);
        backend.failHeads = true;

        HealthCheckResponse response = readiness(StateStoreConfig.WhenUnavailable.DOWN).call().await()
                .atMost(PATIENCE);

        assertEquals(HealthCheckResponse.Status.DOWN, response.getStatus());
        assertTrue(data(response, "error").contains("unreachable for the test"), data(response, "error"));
    }

    @Test
    void aWriterThatSteppedDownIsNotReadyEvenWhenDegradedIsAllowed() {
        FencedStateBranch mine = new FencedStateBranch(branch, fence);
        mine.apply(put("a.json")).await().atMost(PATIENCE);
        new FencedStateBranch(branch, new WriterFence("newer", Clock.systemUTC())).takeOver(Actor.service("svc"))
                .await().atMost(PATIENCE);
        try {
            mine.apply(put("b.json")).await().atMost(PATIENCE);
        } catch (FencedOffException expected) {
            // the old writer's change is refused; readiness must say why
        }

        HealthCheckResponse response = readiness(StateStoreConfig.WhenUnavailable.DEGRADED).call().await()
                .atMost(PATIENCE);

        assertEquals(HealthCheckResponse.Status.DOWN, response.getStatus());
        assertTrue(data(response, "error").contains("newer"), data(response, "error"));
    }

    private StateStoreReadiness readiness(StateStoreConfig.WhenUnavailable whenUnavailable) {
        return new StateStoreReadiness(branch, new FencedStateBranch(branch, fence), config(whenUnavailable), fence,
                Clock.systemUTC());
    }

    private static String data(HealthCheckResponse response, String key) {
        return String.valueOf(response.getData().orElseThrow().get(key));
    }

    private static Change put(String path) {
        return new Change("put " + path, Actor.service("svc"), ws -> ws.put(path, "{}"));
    }

    private static StateStoreConfig config(StateStoreConfig.WhenUnavailable whenUnavailable) {
        return new StateStoreConfig() {
            public boolean singleWriter() {
                return true;
            }

            public MemorySize cacheSize() {
                return new MemorySize(java.math.BigInteger.valueOf(1 << 20));
            }

            public Backend backend() {
                return Backend.LOCAL;
            }

            public Path localRepository() {
                return Path.of("unused");
            }

            public Duration readinessTimeout() {
                return Duration.ofMillis(300);
            }

            public Duration readinessStaleAfter() {
                return Duration.ofSeconds(60);
            }

            public Duration refreshInterval() {
                return Duration.ofSeconds(10);
            }

            public Duration unavailableWait() {
                return Duration.ofSeconds(30);
            }

            public WhenUnavailable readinessWhenUnavailable() {
                return whenUnavailable;
            }
        };
    }

    /** Head reads that hang (GitHub's back-off window) or fail (an outage). */
    private static final class SlowHead extends ForwardingBranchBackend {
        volatile boolean holdHeads;
        volatile boolean failHeads;
        final CountDownLatch release = new CountDownLatch(1);

        SlowHead(dev.monkeytown.state.spi.BranchBackend delegate) {
            super(delegate);
        }

        @Override
        public Optional<String> readHead() throws BackendException {
            if (failHeads) {
                throw new BackendException("unreachable for the test", null, true);
            }
            if (holdHeads) {
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.readHead();
        }
    }
}
