package dev.monkeytown.deploy.environment;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One environment as {@code .monkeytown/environments.yaml} declares it.
 *
 * @param branch the branch whose commits are deployed here (automatic deploys follow its head)
 * @param requires pipelines that must have succeeded for the commit (or an identical tree) before it is deployed;
 *        their outputs are what the command deploys
 * @param health the check run after the command; empty: a command that exits 0 is healthy
 */
public record Environment(String name, String branch, boolean autoDeploy, boolean production, boolean approval,
        List<String> requires, String command, Optional<String> health, OnFailure onFailure, Duration timeout) {

    /** Lower case: an environment names a branch, a metric tag and a secrets file. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    public static final Duration MAX_TIMEOUT = Duration.ofHours(1);

    /** What a failed deployment leads to. */
    public enum OnFailure {
        /** Revert to the last good deployment at once, then pause automatic deploys. */
        REVERT,
        /** Raise an alert and leave the environment as the failed deployment left it. */
        ALERT;

        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Environment {
        checkName(name);
        Objects.requireNonNull(branch, "branch");
        requires = List.copyOf(requires);
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(onFailure, "onFailure");
        Objects.requireNonNull(timeout, "timeout");
    }

    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    static void checkName(String name) {
        if (!isValidName(name)) {
            throw new IllegalArgumentException("an environment name is lower-case letters, digits and '-' (at most 63),"
                    + " starting with a letter or digit, was '" + name + "'");
        }
    }

    /** The branch that records what runs here, one commit per deployment. */
    public String environmentBranch() {
        return "environments/" + name;
    }
}
