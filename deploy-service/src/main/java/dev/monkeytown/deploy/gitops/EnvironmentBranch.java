package dev.monkeytown.deploy.gitops;

import java.io.IOException;
import java.util.Optional;

import dev.monkeytown.deploy.deployments.Deployment;
import dev.monkeytown.deploy.deployments.DeploymentKind;

/**
 * GitOps: what runs where is recorded in Git. Every deployment is one commit on {@code environments/<env>} whose tree
 * is the deployed tree and whose parent is the branch's previous head, so {@code git log environments/<env>} is the
 * environment's history, linear, one commit per deployment. The branch moves by compare-and-swap only, never forced
 * (locally a ref update with the expected old id; on GitHub a commit through the Git Data API with the head as parent,
 * then {@code PATCH git/refs} with {@code force: false}): a lost race re-reads the head and commits on top of it, a few
 * times, waiting a little longer each time, and then gives up saying so.
 */
public final class EnvironmentBranch {

    public static final String SOURCE = "Monkeytown-Source";
    public static final String DEPLOYMENT = "Monkeytown-Deployment";
    public static final String REVERT_OF = "Monkeytown-Revert-Of";
    public static final String LAST_GOOD = "Monkeytown-Last-Good";
    private static final int ATTEMPTS = 10;

    private final SourceRepository repository;
    private final SourceRepository.Person committer;
    private final long backoffMillis;

    public EnvironmentBranch(SourceRepository repository, String service) {
        this(repository, service, 0);
    }

    /**
     * @param backoffMillis how long to wait after the first lost race (doubled after each, at most 2 s): on GitHub a
     *        head just moved may still read as the old one for a moment
     */
    public EnvironmentBranch(SourceRepository repository, String service, long backoffMillis) {
        this.repository = repository;
        this.committer = new SourceRepository.Person(service, service + "@services.monkeytown");
        this.backoffMillis = backoffMillis;
    }

    /**
     * The commit recording {@code deployment} on its environment's branch: made now, or found if an earlier attempt
     * (before a restart) already made it — the branch never gets two commits for one deployment.
     */
    public SourceRepository.Commit record(Deployment deployment) throws IOException {
        String branch = "environments/" + deployment.environment();
        String message = message(deployment);
        SourceRepository.Person author = new SourceRepository.Person(deployment.requestedBy(),
                deployment.requestedBy() + "@users.monkeytown");
        IOException failed = null;
        int lostRaces = 0;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            // a head that cannot be read is an unknown outcome (the IOException goes to the caller, who tries later:
            // reading the head then finds the trailer if an earlier move did land)
            Optional<SourceRepository.Commit> head = repository.head(branch);
            if (head.isPresent() && recorded(head.get(), deployment.id())) {
                return head.get(); // made before (a restart, or a move whose answer was lost)
            }
            try {
                Optional<SourceRepository.Commit> made = repository.commitOnto(branch,
                        head.map(SourceRepository.Commit::sha), deployment.tree(), message, author, committer);
                if (made.isPresent()) {
                    return made.get();
                }
                lostRaces++; // someone else moved the branch: read it again and commit on top of what is there
            } catch (SourceRepository.RefusedException e) {
                throw e; // asking again the same way will not help
            } catch (IOException e) {
                failed = e; // whether it moved is unknown: the next read of the head tells
            }
            pause(attempt);
        }
        if (failed != null && lostRaces == 0) {
            throw failed;
        }
        throw new SourceRepository.RefusedException(branch + " kept moving (" + lostRaces + " compare-and-swap"
                + " attempts lost to another writer; it is never forced): deployment " + deployment.id()
                + " could not be recorded on it");
    }

    private void pause(int attempt) throws IOException {
        if (backoffMillis <= 0) {
            return;
        }
        try {
            Thread.sleep(Math.min(2000, backoffMillis << Math.min(attempt, 10)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while recording on the environment branch", e);
        }
    }

    public Optional<SourceRepository.Commit> head(String environment) throws IOException {
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

    private static boolean recorded(SourceRepository.Commit head, String deploymentId) {
        return head.message().lines().anyMatch(line -> line.equals(DEPLOYMENT + ": " + deploymentId));
    }
}
