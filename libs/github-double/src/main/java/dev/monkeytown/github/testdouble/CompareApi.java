package dev.monkeytown.github.testdouble;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code GET /repos/{owner}/{repo}/compare/{base}...{head}}: how two commits relate (ahead, behind, identical,
 * diverged), the commits from their merge base to the head (oldest first, at most 250, as GitHub) and the files that
 * differ (at most 300, as GitHub: a client must not take 300 files for the whole change). Both sides are resolved as
 * reads are, so they may lag a ref move.
 */
final class CompareApi implements ApiArea {

    static final int MAX_FILES = 300;
    private static final int MAX_COMMITS = 250;
    private static final String DOCS = "https://docs.github.com/rest/commits/commits#compare-two-commits";

    private final GitHubDouble host;

    CompareApi(GitHubDouble host) {
        this.host = host;
    }

    @Override
    public void register(Routes routes) {
        routes.read("GET", "/repos/([^/]+)/([^/]+)/compare/(.+)", this::compare);
    }

    private DoubleResponse compare(DoubleRequest request, Matcher path) {
        Optional<HostedRepository> found = host.existing(path.group(1), path.group(2));
        String[] sides = path.group(3).split("\\.\\.\\.", -1);
        if (found.isEmpty() || sides.length != 2) {
            return DoubleResponse.error(404, "Not Found", DOCS);
        }
        HostedRepository repo = found.get();
        Optional<String> base = repo.readersSee(sides[0]);
        Optional<String> head = repo.readersSee(sides[1]);
        if (base.isEmpty() || head.isEmpty()) {
            return DoubleResponse.error(404, "No common ancestor between " + sides[0] + " and " + sides[1] + ".", DOCS);
        }
        Set<String> baseAncestry = ancestry(repo, base.get());
        List<String> headWalk = newestFirst(repo, head.get());
        String mergeBase = headWalk.stream().filter(baseAncestry::contains).findFirst().orElse(null);
        if (mergeBase == null) {
            return DoubleResponse.error(404, "No common ancestor between " + sides[0] + " and " + sides[1] + ".", DOCS);
        }
        List<String> ahead = headWalk.subList(0, headWalk.indexOf(mergeBase));
        long behindBy = newestFirst(repo, base.get()).indexOf(mergeBase);
        String status = ahead.isEmpty() && behindBy == 0
                ? "identical"
                : behindBy == 0 ? "ahead" : ahead.isEmpty() ? "behind" : "diverged";

        ObjectNode body = Json.object();
        String range = sides[0] + "..." + sides[1];
        body.put("url", host.apiUrl() + "/repos/" + repo.fullName() + "/compare/" + range)
                .put("html_url", "https://github.com/" + repo.fullName() + "/compare/" + range)
                .put("permalink_url", "https://github.com/" + repo.fullName() + "/compare/" + base.get() + "..."
                        + head.get())
                .put("diff_url", "https://github.com/" + repo.fullName() + "/compare/" + range + ".diff")
                .put("patch_url", "https://github.com/" + repo.fullName() + "/compare/" + range + ".patch")
                .put("status", status).put("ahead_by", ahead.size()).put("behind_by", behindBy)
                .put("total_commits", ahead.size());
        body.set("base_commit", restCommit(repo, base.get()));
        body.set("merge_base_commit", restCommit(repo, mergeBase));
        ArrayNode list = body.putArray("commits");
        List<String> oldestFirst = new ArrayList<>(ahead);
        Collections.reverse(oldestFirst);
        oldestFirst.stream().limit(MAX_COMMITS).forEach(sha -> list.add(restCommit(repo, sha)));
        body.set("files", files(repo, mergeBase, head.get()));
        return DoubleResponse.of(200, body);
    }

    private ArrayNode files(HostedRepository repo, String from, String to) {
        Map<String, String> before = repo.objects().flatten(commit(repo, from).tree());
        Map<String, String> after = repo.objects().flatten(commit(repo, to).tree());
        Set<String> paths = new TreeSet<>(before.keySet());
        paths.addAll(after.keySet());
        ArrayNode files = Json.array();
        for (String path : paths) {
            String old = before.get(path);
            String now = after.get(path);
            if (old != null && old.equals(now)) {
                continue;
            }
            if (files.size() == MAX_FILES) {
                break;
            }
            String status = old == null ? "added" : now == null ? "removed" : "modified";
            String sha = now != null ? now : old;
            files.addObject().put("sha", sha).put("filename", path).put("status", status).put("additions", 0)
                    .put("deletions", 0).put("changes", 0)
                    .put("blob_url", "https://github.com/" + repo.fullName() + "/blob/" + to + "/" + path)
                    .put("raw_url", "https://github.com/" + repo.fullName() + "/raw/" + to + "/" + path)
                    .put("contents_url", host.apiUrl() + "/repos/" + repo.fullName() + "/contents/" + path + "?ref="
                            + to);
        }
        return files;
    }

    /** A commit as the REST commits API shows it: the Git commit nested under {@code commit}. */
    private ObjectNode restCommit(HostedRepository repo, String sha) {
        GitObjects.Commit commit = commit(repo, sha);
        ObjectNode json = Json.object().put("sha", sha).put("node_id", host.nodeId("Commit", sha))
                .put("url", host.apiUrl() + "/repos/" + repo.fullName() + "/commits/" + sha)
                .put("html_url", "https://github.com/" + repo.fullName() + "/commit/" + sha)
                .put("comments_url", host.apiUrl() + "/repos/" + repo.fullName() + "/commits/" + sha + "/comments");
        json.set("commit", new GitDataApi(host).commitJson(repo, commit));
        ArrayNode parents = json.putArray("parents");
        commit.parents().forEach(parent -> parents.addObject().put("sha", parent)
                .put("url", host.apiUrl() + "/repos/" + repo.fullName() + "/commits/" + parent));
        return json;
    }

    private static GitObjects.Commit commit(HostedRepository repo, String sha) {
        return repo.objects().find(sha, GitObjects.Commit.class).orElseThrow();
    }

    /** Every commit reachable from {@code start}, all parents followed. */
    private static Set<String> ancestry(HostedRepository repo, String start) {
        Set<String> seen = new HashSet<>();
        Deque<String> pending = new ArrayDeque<>(List.of(start));
        while (!pending.isEmpty()) {
            String sha = pending.pop();
            if (seen.add(sha)) {
                pending.addAll(commit(repo, sha).parents());
            }
        }
        return seen;
    }

    /** Commits reachable from {@code start}, newest first along first parents, then the rest. */
    private static List<String> newestFirst(HostedRepository repo, String start) {
        LinkedHashSet<String> order = new LinkedHashSet<>();
        for (String sha = start; sha != null;) {
            order.add(sha);
            List<String> parents = commit(repo, sha).parents();
            sha = parents.isEmpty() ? null : parents.get(0);
        }
        order.addAll(ancestry(repo, start));
        return new ArrayList<>(order);
    }
}
