package dev.monkeytown.dispatcher.activity;

import java.util.Optional;

import dev.monkeytown.dispatcher.runner.AgentRunner;

/**
 * A branch an agent run delivered its work on ({@code agents/<agent>/<run-id>}, as {@link AgentRunner#branchFor} names
 * it). The name is the only mark an agent's work carries on GitHub and locally alike: commits are authored by whatever
 * identity the runner has, so the branch, not the author, tells an agent's pull request from a person's.
 */
public record AgentBranch(String agent, String run) {

    static final String PREFIX = "agents/";

    /** The agent branch {@code branch} (a short name, or a full {@code refs/heads/...} ref) is, if it is one. */
    public static Optional<AgentBranch> parse(String branch) {
        String name = branch.startsWith("refs/heads/") ? branch.substring("refs/heads/".length()) : branch;
        if (!name.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = name.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1 || rest.indexOf('/', slash + 1) >= 0) {
            return Optional.empty();
        }
        return Optional.of(new AgentBranch(rest.substring(0, slash), rest.substring(slash + 1)));
    }
}
