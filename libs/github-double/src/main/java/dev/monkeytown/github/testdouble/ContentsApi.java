package dev.monkeytown.github.testdouble;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code GET /repos/{owner}/{repo}/contents/{path}}: a file (base64 content) or a directory listing, at the default
 * branch or at the {@code ref} query parameter (branch, tag or commit id).
 */
final class ContentsApi implements ApiArea {

    private static final String DOCS = "https://docs.github.com/rest/repos/contents#get-repository-content";

    private final GitHubDouble host;

    ContentsApi(GitHubDouble host) {
        this.host = host;
    }

    @Override
    public void register(Routes routes) {
        routes.read("GET", "/repos/([^/]+)/([^/]+)/contents/(.+)", this::getContent);
    }

    private DoubleResponse getContent(DoubleRequest request, Matcher path) {
        Optional<HostedRepository> found = host.existing(path.group(1), path.group(2));
        if (found.isEmpty()) {
            return DoubleResponse.error(404, "Not Found", DOCS);
        }
        HostedRepository repo = found.get();
        String wanted = trimSlashes(path.group(3));
        String ref = request.query().getOrDefault("ref", HostedRepository.DEFAULT_BRANCH);
        Optional<String> commit = repo.readersSee(ref);
        if (commit.isEmpty()) {
            return DoubleResponse.error(404, "No commit found for the ref " + ref, DOCS);
        }
        Optional<GitObjects.TreeEntry> entry = find(repo,
                repo.objects().find(commit.get(), GitObjects.Commit.class).orElseThrow().tree(), wanted);
        if (entry.isEmpty()) {
            return DoubleResponse.error(404, "Not Found", DOCS);
        }
        if (entry.get().type().equals("blob")) {
            return DoubleResponse.of(200, fileJson(repo, wanted, entry.get().sha(), ref));
        }
        ArrayNode listing = Json.array();
        for (GitObjects.TreeEntry child : repo.objects().find(entry.get().sha(), GitObjects.Tree.class).orElseThrow()
                .entries()) {
            listing.add(entryJson(repo, wanted + "/" + child.name(), child.sha(),
                    child.type().equals("blob") ? "file" : "dir", ref));
        }
        return DoubleResponse.of(200, listing);
    }

    /** The entry at {@code path} below the root tree, walking one folder per segment. */
    private static Optional<GitObjects.TreeEntry> find(HostedRepository repo, String rootTree, String path) {
        String tree = rootTree;
        String[] segments = path.split("/");
        for (int i = 0; i < segments.length; i++) {
            String name = segments[i];
            Optional<GitObjects.TreeEntry> entry = repo.objects().find(tree, GitObjects.Tree.class).orElseThrow()
                    .entries().stream().filter(e -> e.name().equals(name)).findFirst();
            if (entry.isEmpty() || i == segments.length - 1) {
                return entry;
            }
            if (!entry.get().type().equals("tree")) {
                return Optional.empty();
            }
            tree = entry.get().sha();
        }
        return Optional.empty();
    }

    private ObjectNode fileJson(HostedRepository repo, String path, String blobSha, String ref) {
        byte[] content = repo.objects().find(blobSha, GitObjects.Blob.class).orElseThrow().content();
        ObjectNode json = entryJson(repo, path, blobSha, "file", ref);
        // GitHub wraps base64 at 60 characters
        json.put("content", Base64.getMimeEncoder(60, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(content)
                + "\n").put("encoding", "base64");
        return json;
    }

    private ObjectNode entryJson(HostedRepository repo, String path, String sha, String type, String ref) {
        String self = host.apiUrl() + "/repos/" + repo.fullName() + "/contents/" + path + "?ref=" + ref;
        String html = "https://github.com/" + repo.fullName() + (type.equals("dir") ? "/tree/" : "/blob/") + ref + "/"
                + path;
        String git = host.apiUrl() + "/repos/" + repo.fullName() + "/git/" + (type.equals("dir") ? "trees/" : "blobs/")
                + sha;
        long size = type.equals("file")
                ? repo.objects().find(sha, GitObjects.Blob.class).map(b -> (long) b.content().length).orElse(0L)
                : 0L;
        ObjectNode json = Json.object().put("type", type).put("size", size)
                .put("name", path.substring(path.lastIndexOf('/') + 1)).put("path", path).put("sha", sha)
                .put("url", self).put("git_url", git).put("html_url", html)
                .put("download_url", type.equals("file")
                        ? "https://raw.githubusercontent.com/" + repo.fullName() + "/" + ref + "/" + path
                        : null);
        json.putObject("_links").put("self", self).put("git", git).put("html", html);
        return json;
    }

    private static String trimSlashes(String path) {
        String p = path;
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }
}
