package dev.monkeytown.state.quarkus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

import dev.monkeytown.state.StateBranch;
import dev.monkeytown.state.engine.BranchHealth;
import dev.monkeytown.state.engine.GroupCommitStateBranch;
import dev.monkeytown.state.fence.WriterFence;

/**
 * Ready only while the state branch can be read and written: a service that cannot record what it is asked to do must
 * not get traffic, unless {@code monkeytown.state.readiness-when-unavailable=degraded} says its reads are worth serving
 * from the in-memory view meanwhile.
 * <p>
 * Each probe asks for a refresh of the head (the cheapest real round trip, a 304 on GitHub; concurrent probes share
 * one). If it does not come back within the probe's timeout — GitHub asked us to back off, or a commit is pacing —
 * the probe answers from the last known state: ready if the store answered recently and its last word was not a
 * failure. A {@link dev.monkeytown.state.engine.BranchAlarm} (branch vanished, went backwards, rewritten) or a lost
 * writer fence is never ready, whatever the setting: nothing may be written.
 */
@Readiness
@ApplicationScoped
public class StateStoreReadiness implements AsyncHealthCheck {

    static final String NAME = "state-store";

    private final GroupCommitStateBranch branch;
    private final StateBranch writable;
    private final StateStoreConfig config;
    private final WriterFence fence;
    private final Clock clock;

    @Inject
    StateStoreReadiness(GroupCommitStateBranch branch, StateBranch writable, StateStoreConfig config,
            WriterFence fence) {
        this(branch, writable, config, fence, Clock.systemUTC());
    }

    /** @param writable the branch as the service writes it (fenced): its refresh also looks at the writer fence */
    StateStoreReadiness(GroupCommitStateBranch branch, StateBranch writable, StateStoreConfig config,
            WriterFence fence, Clock clock) {
        this.branch = branch;
        this.writable = writable;
        this.config = config;
        this.fence = fence;
        this.clock = clock;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return writable.refresh()
                .ifNoItem().after(config.readinessTimeout()).failWith(TimeoutException::new)
                .map(ignored -> judge(null))
                .onFailure().recoverWithItem(this::judge);
    }

    /** The answer from the branch's health after the refresh ended with {@code failure} (null: it succeeded). */
    private HealthCheckResponse judge(Throwable failure) {
        BranchHealth health = branch.health();
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME)
                .withData("branch", branch.branch())
                .withData("backend", config.backend().name().toLowerCase());
        if (health.head() != null) {
            response.withData("head", health.head());
        }
        if (health.alarm().isPresent()) {
            return response.withData("status", "alarm").withData("error", health.alarm().get().describe()).down()
                    .build();
        }
        if (fence.steppedDown().isPresent()) {
            return response.withData("status", "stepped down").withData("error", fence.steppedDown().get()).down()
                    .build();
        }
        if (failure == null) {
            return response.up().build();
        }
        if (failure instanceof TimeoutException && health.impairment().isEmpty() && recentlyAnswered(health)) {
            return response.withData("status", "answered from the last contact, "
                    + Duration.between(health.lastAnswer(), clock.instant()).toSeconds()
                    + " s ago; a refresh is still waiting").up().build();
        }
        String error = failure instanceof TimeoutException && health.impairment().isPresent()
                ? health.impairment().get()
                : failure instanceof TimeoutException
                        ? "no answer within " + config.readinessTimeout()
                                + (health.lastAnswer() == null ? "" : "; last answer at " + health.lastAnswer())
                                + (health.failingNow() ? "; last failure: " + health.lastFailureReason() : "")
                        : failure.getClass().getSimpleName()
                                + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        boolean degraded = config.readinessWhenUnavailable() == StateStoreConfig.WhenUnavailable.DEGRADED
                && health.hasView();
        return response.withData("error", error).withData("status", degraded ? "degraded" : "down")
                .status(degraded).build();
    }

    private boolean recentlyAnswered(BranchHealth health) {
        Instant answered = health.lastAnswer();
        return answered != null && !health.failingNow()
                && Duration.between(answered, clock.instant()).compareTo(config.readinessStaleAfter()) <= 0;
    }
}
