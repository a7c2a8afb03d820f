package dev.monkeytown.build.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.monkeytown.build.builds.RetryPolicy;

/**
 * One pipeline as declared in {@code .monkeytown/builds.yaml}.
 *
 * @param command what the local runner executes with {@code /bin/sh -c} in a scratch checkout at the commit
 * @param workflow the workflow file GitHub Actions dispatches (with a {@code build_id} input)
 * @param branches pushes to these branches queue a build
 * @param outputs globs (relative to the checkout, {@code **} crosses folders) of the files that become artifacts
 */
public record Pipeline(String name, Optional<String> command, Optional<String> workflow, List<String> branches,
        List<String> outputs, Duration timeout, RetryPolicy retry) {

    /** Lower case because it names the OCI repository {@code builds/<name>}; short because it is a metric tag. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);
    /** GitHub Actions' own job limit; a local build longer than that is a mistake in the file. */
    public static final Duration MAX_TIMEOUT = Duration.ofHours(6);

    public Pipeline {
        checkName(name);
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(workflow, "workflow");
        branches = List.copyOf(branches);
        outputs = List.copyOf(outputs);
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(retry, "retry");
        if (command.isEmpty() && workflow.isEmpty()) {
            throw new IllegalArgumentException("pipeline " + name + " needs a command, a workflow or both");
        }
    }

    public static boolean isValidName(String candidate) {
        return candidate != null && NAME.matcher(candidate).matches();
    }

    static void checkName(String name) {
        if (!isValidName(name)) {
            throw new IllegalArgumentException("a pipeline name is 1-63 lower-case letters, digits and '-', starting"
                    + " with a letter or digit (it names the artifact repository builds/<name>); was '" + name + "'");
        }
    }

    /** The OCI repository its outputs go to. */
    public String repository() {
        return "builds/" + name;
    }
}
