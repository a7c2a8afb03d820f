package dev.monkeytown.github.testdouble;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

import dev.monkeytown.github.testdouble.GitObjects.Commit;

/**
 * Commits in {@code git log} order from a start commit, including it, as GitHub's {@code Commit.history} lists them:
 * newest committer date first, ties in the order reached. On a linear branch that is the first-parent chain.
 */
final class CommitLog {

    private record Pending(Commit commit, long sequence) {
    }

    private CommitLog() {
    }

    static List<Commit> from(GitObjects objects, Commit start) {
        PriorityQueue<Pending> queue = new PriorityQueue<>((a, b) -> {
            int newer = Long.compare(b.commit().committer().epochSeconds(), a.commit().committer().epochSeconds());
            return newer != 0 ? newer : Long.compare(a.sequence(), b.sequence());
        });
        Set<String> seen = new HashSet<>();
        long sequence = 0;
        queue.add(new Pending(start, sequence++));
        seen.add(start.sha());
        List<Commit> log = new ArrayList<>();
        while (!queue.isEmpty()) {
            Commit commit = queue.poll().commit();
            log.add(commit);
            for (String parent : commit.parents()) {
                if (seen.add(parent)) {
                    queue.add(new Pending(objects.find(parent, Commit.class).orElseThrow(), sequence++));
                }
            }
        }
        return log;
    }
}
