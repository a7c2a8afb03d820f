package dev.monkeytown.build.github;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.monkeytown.build.builds.AttemptResult;
import dev.monkeytown.build.builds.Build;
import dev.monkeytown.build.builds.BuildTrigger;
import dev.monkeytown.build.builds.FailureClass;
import dev.monkeytown.runner.RunnerRef;

/** Which status each recorded build change calls for: two per build, whatever happens in between. */
class CommitStatusesTest {

    private static final Instant AT = Instant.parse("2026-12-07T10:00:00Z");
    private static final String SHA = "a".repeat(40);
    private static final RunnerRef RUN = RunnerRef.of("github-actions").withExternalId("42")
            .withUrl("https://github.com/o/r/actions/runs/42");

    private static Optional<String> state(Build build) {
        return CommitStatuses.statusFor(build).map(CommitStatuses.Status::state);
    }

    @Test
    void pendingOnceTheFirstAttemptsRunIsKnownThenTheEnd() {
        Build queued = Build.queued("01JB0000000000000000000000", "app", "main", SHA, "t", BuildTrigger.PUSH, "push",
                AT, null);
        assertEquals(Optional.empty(), state(queued));
        Build dispatched = queued.dispatched(AT);
        assertEquals(Optional.empty(), state(dispatched), "no link yet: wait for the workflow run");
        Build known = dispatched.withRunner(RUN);
        assertEquals(Optional.of("pending"), state(known));
        assertEquals(Optional.of(RUN.url().orElseThrow()), CommitStatuses.statusFor(known).orElseThrow().targetUrl());
        assertEquals("monkeytown/build/app", CommitStatuses.statusFor(known).orElseThrow().context());

        Build retrying = known.started(AT, RUN).failed(new AttemptResult.Failed(FailureClass.INFRA, null, "lost", AT),
                Optional.of(java.time.Duration.ofSeconds(1)));
        assertEquals(Optional.empty(), state(retrying));
        Build second = retrying.dispatched(AT).withRunner(RUN);
        assertEquals(Optional.empty(), state(second), "a retry leaves the status pending");
        assertEquals(Optional.of("success"), state(second.succeeded(new AttemptResult.Succeeded(AT),
                java.util.List.of(), null)));
        assertEquals(Optional.of("failure"), state(second.failed(new AttemptResult.Failed(FailureClass.BUILD, null,
                "workflow run concluded failure", AT), Optional.empty())));
        assertEquals(Optional.of("failure"), state(second.failed(new AttemptResult.Failed(FailureClass.TIMEOUT, null,
                "timed out", AT), Optional.empty())));
        assertEquals(Optional.of("error"), state(second.cancelled(AT, "ops")));
        assertEquals(Optional.empty(), state(queued.cancelled(AT, "ops")), "never dispatched: nothing to say");
    }
}
