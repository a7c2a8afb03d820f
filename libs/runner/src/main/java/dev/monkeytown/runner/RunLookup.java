package dev.monkeytown.runner;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a caller keeps about a run to find it at the runner again, also after a restart: the run's id, the workflow it
 * would have been dispatched as, when the caller first asked for it, and the runner's answer to the start if one
 * arrived.
 *
 * @param workflow the workflow file for GitHub Actions ({@code agent-docs.yml}); empty for runs that have none
 * @param requestedAt when the caller recorded the run as dispatched; no trace of it at the runner can be older
 * @param ref what {@link Runner#start} answered (or an inspection found); empty when no answer ever arrived
 */
public record RunLookup(String id, Optional<String> workflow, Instant requestedAt, Optional<RunnerRef> ref) {

    public RunLookup {
        RunSpec.requireId(id);
        Objects.requireNonNull(workflow, "workflow");
        Objects.requireNonNull(requestedAt, "requestedAt");
        Objects.requireNonNull(ref, "ref");
    }

    public static RunLookup of(RunSpec spec, Instant requestedAt, Optional<RunnerRef> ref) {
        return new RunLookup(spec.id(), spec.workflow().map(RunSpec.WorkflowCall::file), requestedAt, ref);
    }

    public Optional<String> externalId() {
        return ref.flatMap(RunnerRef::externalId);
    }
}
