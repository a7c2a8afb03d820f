package dev.monkeytown.kit.ops;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * The body of a level change. TRACE is not offered: the suite is built with {@code quarkus.log.min-level=DEBUG}, so a
 * TRACE setting would silently log nothing more.
 */
public record LevelChange(
        @NotNull(message = "is required") @Pattern(regexp = "OFF|ERROR|WARN|INFO|DEBUG", message = "must be one of OFF, ERROR, WARN, INFO, DEBUG") String level) {
}
