package dev.monkeytown.dispatcher.activity;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.monkeytown.dispatcher.registry.AgentRegistry;

/**
 * The spec's business metrics (PRs opened and merged, files changed, agent activity), fed by GitHub's webhooks in
 * GitHub mode and by the local repository's branches locally; one source per mode, so nothing is counted twice. Which
 * figure means what in each mode is in docs/operations.md, "Business metrics".
 */
@Singleton
public class BusinessMetrics {

    /** Who a pull request (locally: an agent branch) is from. */
    public enum Author {
        AGENT, HUMAN;

        String tag() {
            return name().toLowerCase();
        }
    }

    /** The {@code agent} tag of a branch named for an agent nobody declared: a branch name must not mint series. */
    static final String UNDECLARED = "undeclared";

    private final MeterRegistry registry;
    private final AgentRegistry agents;

    BusinessMetrics(MeterRegistry registry, AgentRegistry agents) {
        this.registry = registry;
        this.agents = agents;
    }

    void pullRequestOpened(Author author) {
        Counter.builder("monkeytown.pull.requests.opened").description("Pull requests opened (locally: agent branches"
                + " created), by author kind").tag("author", author.tag()).register(registry).increment();
    }

    /** {@code files}, {@code additions}, {@code deletions}: what GitHub says the pull request changed, when it says. */
    void pullRequestMerged(Author author, long files, long additions, long deletions) {
        Counter.builder("monkeytown.pull.requests.merged").description("Pull requests merged (locally: agent branches"
                + " merged into the default branch), by author kind").tag("author", author.tag()).register(registry)
                .increment();
        Counter.builder("monkeytown.pull.requests.merged.files").description("Files changed by merged pull requests,"
                + " as GitHub counts them (changed_files)").tag("author", author.tag()).register(registry)
                .increment(files);
        Counter.builder("monkeytown.pull.requests.merged.lines.added").description("Lines added by merged pull"
                + " requests (additions)").tag("author", author.tag()).register(registry).increment(additions);
        Counter.builder("monkeytown.pull.requests.merged.lines.deleted").description("Lines deleted by merged pull"
                + " requests (deletions)").tag("author", author.tag()).register(registry).increment(deletions);
    }

    /** One move of the default branch: the commits it gained and the distinct files they changed. */
    void defaultBranchMoved(long commits, long files) {
        Counter.builder("monkeytown.default.branch.commits").description("Commits that reached the default branch")
                .register(registry).increment(commits);
        Counter.builder("monkeytown.default.branch.files.changed").description("Distinct files changed per move of the"
                + " default branch, summed over moves").register(registry).increment(files);
    }

    /** Commits an agent's runs delivered on their branches. */
    void agentCommits(String agent, long commits) {
        Counter.builder("monkeytown.agent.commits").description("Commits agent runs delivered on their branches, by"
                + " agent").tag("agent", declared(agent)).register(registry).increment(commits);
    }

    String declared(String agent) {
        return agents.catalog().filter(catalog -> catalog.agents().containsKey(agent)).isPresent()
                ? agent
                : UNDECLARED;
    }
}
