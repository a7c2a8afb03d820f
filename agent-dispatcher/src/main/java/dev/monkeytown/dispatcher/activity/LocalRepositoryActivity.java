package dev.monkeytown.dispatcher.activity;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

import io.quarkus.logging.Log;

import dev.monkeytown.dispatcher.activity.BusinessMetrics.Author;

/**
 * Business figures from the local repository, where there are no pull requests: an agent branch appearing is a pull
 * request opened, its commits reaching the default branch a pull request merged, and the default branch's new commits
 * the commits and files changed. Each look compares the refs with the previous look, in memory: the first look after a
 * start only takes note (whatever happened while the dispatcher was down is not counted, and nothing is counted
 * twice). A branch created and deleted between two looks is not seen; one merged and then deleted still is (its last
 * seen tip is on the default branch).
 */
public final class LocalRepositoryActivity implements ActivityWatch, AutoCloseable {

    /** An agent branch as last seen; {@code unmerged} while it holds commits not yet counted as merged. */
    private record Seen(AgentBranch branch, ObjectId tip, boolean unmerged) {
    }

    private final Repository repository;
    private final String defaultBranch;
    private final BusinessMetrics metrics;
    private final Map<String, Seen> branches = new HashMap<>();
    private ObjectId lastHead;
    private boolean looked;

    public LocalRepositoryActivity(Path repositoryDirectory, String defaultBranch, BusinessMetrics metrics)
            throws IOException {
        this.repository = Git.open(repositoryDirectory.toFile()).getRepository();
        this.defaultBranch = defaultBranch;
        this.metrics = metrics;
    }

    /** Synchronized: the registry poll and the catch-up after a restore may look at the same time. */
    @Override
    public synchronized void observe() {
        try {
            Ref headRef = repository.exactRef("refs/heads/" + defaultBranch);
            if (headRef == null || headRef.getObjectId() == null) {
                return; // nothing to merge into yet
            }
            ObjectId head = headRef.getObjectId();
            Map<String, ObjectId> tips = agentBranchTips();
            if (!looked) {
                for (Map.Entry<String, ObjectId> tip : tips.entrySet()) {
                    AgentBranch branch = AgentBranch.parse(tip.getKey()).orElseThrow();
                    branches.put(tip.getKey(), new Seen(branch, tip.getValue(), !reaches(head, tip.getValue())));
                }
                lastHead = head;
                looked = true;
                return;
            }
            agentBranchesMoved(tips);
            mergedInto(head, tips);
            if (!head.equals(lastHead)) {
                try {
                    DefaultBranchMove move = DefaultBranchMove.between(repository, lastHead, head);
                    metrics.defaultBranchMoved(move.commits(), move.files());
                } catch (org.eclipse.jgit.errors.MissingObjectException e) {
                    // the old head is gone (a force-push, then gc): what moved cannot be told; start again from here
                    // rather than fail every poll from now on
                    Log.warnf("The default branch's previous head %s is gone; its move is not counted", lastHead.name());
                }
            }
            lastHead = head;
        } catch (IOException e) {
            Log.warnf("Could not read the local repository's branches for the business metrics: %s", e.toString());
        }
    }

    private Map<String, ObjectId> agentBranchTips() throws IOException {
        Map<String, ObjectId> tips = new HashMap<>();
        for (Ref ref : repository.getRefDatabase().getRefsByPrefix("refs/heads/" + AgentBranch.PREFIX)) {
            if (ref.getObjectId() != null && AgentBranch.parse(ref.getName()).isPresent()) {
                tips.put(ref.getName(), ref.getObjectId());
            }
        }
        return tips;
    }

    /** New branches are pull requests opened; commits they gained beyond the default branch are the agent's. */
    private void agentBranchesMoved(Map<String, ObjectId> tips) throws IOException {
        for (Map.Entry<String, ObjectId> tip : tips.entrySet()) {
            Optional<Seen> before = Optional.ofNullable(branches.get(tip.getKey()));
            if (before.filter(seen -> seen.tip().equals(tip.getValue())).isPresent()) {
                continue;
            }
            AgentBranch branch = AgentBranch.parse(tip.getKey()).orElseThrow();
            if (before.isEmpty()) {
                metrics.pullRequestOpened(Author.AGENT);
            }
            // against the default branch as it was at the last look, so a branch merged since still shows its work
            long commits = DefaultBranchMove.commitsBetween(repository, before.map(Seen::tip), lastHead,
                    tip.getValue());
            if (commits > 0) {
                metrics.agentCommits(branch.agent(), commits);
            }
            boolean unmerged = commits > 0 || before.map(Seen::unmerged).orElse(false);
            branches.put(tip.getKey(), new Seen(branch, tip.getValue(), unmerged));
        }
    }

    /** Branches whose own commits the default branch now holds are merged, deleted ones included; then forgotten. */
    private void mergedInto(ObjectId head, Map<String, ObjectId> tips) throws IOException {
        Set<String> gone = new HashSet<>(branches.keySet());
        gone.removeAll(tips.keySet());
        for (Iterator<Map.Entry<String, Seen>> it = branches.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Seen> entry = it.next();
            Seen seen = entry.getValue();
            if (seen.unmerged() && reaches(head, seen.tip())) {
                BranchDiff diff = BranchDiff.of(repository, lastHead, seen.tip());
                metrics.pullRequestMerged(Author.AGENT, diff.files(), diff.additions(), diff.deletions());
                entry.setValue(new Seen(seen.branch(), seen.tip(), false));
            }
            if (gone.contains(entry.getKey())) {
                it.remove();
            }
        }
    }

    private boolean reaches(ObjectId head, ObjectId commit) throws IOException {
        try (RevWalk walk = new RevWalk(repository)) {
            RevCommit tip = walk.parseCommit(commit);
            return walk.isMergedInto(tip, walk.parseCommit(head));
        }
    }

    @Override
    public void close() {
        repository.close();
    }
}
