package dev.monkeytown.dispatcher.activity;

import java.io.IOException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.util.io.DisabledOutputStream;

/**
 * What one move of the local default branch brought: its new commits and the distinct files they changed, each commit
 * diffed against its first parent, the same figures a push webhook lists per commit on GitHub.
 */
record DefaultBranchMove(long commits, long files) {

    static DefaultBranchMove between(Repository repository, ObjectId from, ObjectId to) throws IOException {
        Set<String> files = new HashSet<>();
        long commits = 0;
        try (RevWalk walk = new RevWalk(repository);
                DiffFormatter diff = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
            diff.setRepository(repository);
            walk.markStart(walk.parseCommit(to));
            walk.markUninteresting(walk.parseCommit(from)); // a rewritten branch: only what the old head lacks
            for (RevCommit commit : walk) {
                commits++;
                RevCommit parent = commit.getParentCount() == 0 ? null : walk.parseCommit(commit.getParent(0));
                for (DiffEntry entry : diff.scan(parent == null ? null : parent.getTree(), commit.getTree())) {
                    files.add(DiffEntry.DEV_NULL.equals(entry.getNewPath()) ? entry.getOldPath() : entry.getNewPath());
                }
            }
        }
        return new DefaultBranchMove(commits, files.size());
    }

    /** Commits reachable from {@code tip} but neither from {@code previousTip} nor from {@code base}. */
    static long commitsBetween(Repository repository, Optional<ObjectId> previousTip, ObjectId base, ObjectId tip)
            throws IOException {
        try (RevWalk walk = new RevWalk(repository)) {
            walk.markStart(walk.parseCommit(tip));
            walk.markUninteresting(walk.parseCommit(base));
            if (previousTip.isPresent()) {
                walk.markUninteresting(walk.parseCommit(previousTip.get()));
            }
            long commits = 0;
            for (@SuppressWarnings("unused")
            RevCommit commit : walk) {
                commits++;
            }
            return commits;
        }
    }
}
