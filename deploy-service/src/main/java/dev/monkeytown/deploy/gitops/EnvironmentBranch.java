package dev.monkeytown.deploy.gitops;

import java.io.IOException;
import java.util.Optional;

import org.eclipse.jgit.lib.PersonIdent;

import dev.monkeytown.deploy.deployments.Deployment;
import dev.monkeytown.deploy.deployments.DeploymentKind;

/**
 * GitOps: what runs where is recorded in Git. Every deployment is one commit on {@code environments/<env>} whose tree
 * is the deployed tree and whose parent is the branch's previous head, so {@code git log environments/<env>} is the
 * environment's history, linear, one commit per deployment. The branch moves by compare-and-swap only; a lost race
 * re-reads the head and commits on top of it.
 */
public final class EnvironmentBranch {

    public static final String SOURCE = "Monkeytown-Source";
    public static final String DEPLOYMENT = "Monkeytown-Deployment";
    public static final String REVERT_OF = "Monkeytown-Revert-Of";
    public static final String LAST_GOOD = "Monkeytown-Last-Good";
    private static final int ATTEMPTS = 10;

    private final LocalRepository repository;
    private final PersonIdent committer;

    public EnvironmentBranch(LocalRepository repository, String service) {
        this.repository = repository;
        this.committer = LocalRepository.person(service, service + "@services.monkeytown");
    }

    /**
     * The commit recording {@code deployment} on its environment's branch: made now, or found if an earlier attempt
     * (before a restart) already made it — the branch never gets two commits for one deployment.
     */
    public LocalRepository.Commit record(Deployment deployment) throws IOException {
        String branch = "environments/" + deployment.environment();
        String message = message(deployment);
        PersonIdent author = LocalRepository.person(deployment.requestedBy(),
                deployment.requestedBy() + "@users.monkeytown");
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<LocalRepository.Commit> head = repository.head(branch);
            if (head.isPresent() && recorded(head.get(), deployment.id())) {
                return head.get();
            }
            Optional<LocalRepository.Commit> made = repository.commitOnto(branch,
                    head.map(LocalRepository.Commit::sha), deployment.tree(), message, author,
                    LocalRepository.person(committer.getName(), committer.getEmailAddress()));
            if (made.isPresent()) {
                return made.get();
            }
        }
        throw new IOException(branch + " kept moving: deployment " + deployment.id() + " could not be recorded on it");
    }

    public Optional<LocalRepository.Commit> head(String environment) throws IOException {
        return repository.head("environments/" + environment);
    }

    /**
     * {@code Deploy <sha> (deployment <id>)}, or for a revert {@code Revert <env> to <sha> (deployment <id>)} with the
     * reverted and last good deployments as trailers; every commit names its source commit and its deployment.
     */
    public static String message(Deployment deployment) {
        StringBuilder message = new StringBuilder();
        if (deployment.kind() == DeploymentKind.REVERT) {
            message.append("Revert ").append(deployment.environment()).append(" to ").append(deployment.sha())
                    .append(" (deployment ").append(deployment.id()).append(")\n\n");
            if (deployment.revertOf() != null) {
                message.append(REVERT_OF).append(": ").append(deployment.revertOf()).append('\n');
            }
            message.append(LAST_GOOD).append(": ").append(deployment.lastGood()).append('\n');
        } else {
            message.append("Deploy ").append(deployment.sha()).append(" (deployment ").append(deployment.id())
                    .append(")\n\n");
        }
        message.append(SOURCE).append(": ").append(deployment.sha()).append('\n');
        message.append(DEPLOYMENT).append(": ").append(deployment.id()).append('\n');
        return message.toString();
    }

    private static boolean recorded(LocalRepository.Commit head, String deploymentId) {
        return head.message().lines().anyMatch(line -> line.equals(DEPLOYMENT + ": " + deploymentId));
    }
}
