package dev.monkeytown.gateway.health;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One service's readiness as the gateway saw it; {@code reason} says why it is not up. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServiceHealth(Status status, long latencyMs, String reason) {

    public enum Status {
        UP, DOWN
    }

    static ServiceHealth up(long latencyMs) {
        return new ServiceHealth(Status.UP, latencyMs, null);
    }

    static ServiceHealth down(long latencyMs, String reason) {
        return new ServiceHealth(Status.DOWN, latencyMs, reason);
    }

    boolean isUp() {
        return status == Status.UP;
    }
}
