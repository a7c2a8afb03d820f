package dev.monkeytown.dispatcher.activity;

import java.io.IOException;

import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.util.io.DisabledOutputStream;

/**
 * What a branch changed against where it forked from the default branch, as GitHub reports a pull request's
 * {@code changed_files}, {@code additions} and {@code deletions} (binary files count as changed, with no lines).
 */
record BranchDiff(long files, long additions, long deletions) {

    static BranchDiff of(Repository repository, ObjectId defaultHead, ObjectId tip) throws IOException {
        try (RevWalk walk = new RevWalk(repository);
                DiffFormatter diff = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
            diff.setRepository(repository);
            RevCommit branch = walk.parseCommit(tip);
            walk.setRevFilter(RevFilter.MERGE_BASE);
            walk.markStart(branch);
            walk.markStart(walk.parseCommit(defaultHead));
            RevCommit base = walk.next();
            long files = 0;
            long additions = 0;
            long deletions = 0;
            for (DiffEntry entry : diff.scan(base == null ? null : base.getTree(), branch.getTree())) {
                files++;
                for (Edit edit : diff.toFileHeader(entry).toEditList()) {
                    additions += edit.getLengthB();
                    deletions += edit.getLengthA();
                }
            }
            return new BranchDiff(files, additions, deletions);
        }
    }
}
