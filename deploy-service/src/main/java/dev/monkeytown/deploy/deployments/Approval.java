package dev.monkeytown.deploy.deployments;

import java.time.Instant;
import java.util.Objects;

/** An operator's decision on a deployment that waited for approval: who, when and why. */
public record Approval(boolean approved, String by, String reason, Instant at) {

    public Approval {
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
    }
}
