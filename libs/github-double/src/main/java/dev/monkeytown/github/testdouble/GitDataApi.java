package dev.monkeytown.github.testdouble;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.monkeytown.github.testdouble.GitObjects.Blob;
import dev.monkeytown.github.testdouble.GitObjects.Commit;
import dev.monkeytown.github.testdouble.GitObjects.Person;
import dev.monkeytown.github.testdouble.GitObjects.Tree;

/** The Git Data API: refs, trees, blobs and commits, with response shapes as in GitHub's OpenAPI and recordings. */
final class GitDataApi implements ApiArea {

    private static final String REPO = "/repos/([^/]+)/([^/]+)";
    private static final String DOCS = "https://docs.github.com/rest/git/";

    private final GitHubDouble host;

    GitDataApi(GitHubDouble host) {
        this.host = host;
    }

    @Override
    public void register(Routes routes) {
        routes.read("GET", REPO + "/git/ref/(.+)", this::getRef)
                .write("POST", REPO + "/git/refs", this::createRef)
                .write("PATCH", REPO + "/git/refs/(.+)", this::updateRef)
                .read("GET", REPO + "/git/trees/([0-9a-f]{40})", this::getTree)
                .write("POST", REPO + "/git/trees", this::createTree)
                .read("GET", REPO + "/git/blobs/([0-9a-f]{40})", this::getBlob)
                .write("POST", REPO + "/git/blobs", this::createBlob)
                .read("GET", REPO + "/git/commits/([0-9a-f]{40})", this::getCommit)
                .write("POST", REPO + "/git/commits", this::createCommit);
    }

    private DoubleResponse inRepo(Matcher path, Function<HostedRepository, DoubleResponse> action) {
        return host.existing(path.group(1), path.group(2)).map(action).orElseGet(DoubleResponse::notFound);
    }

    private DoubleResponse getRef(DoubleRequest request, Matcher path) {
        return inRepo(path, repo -> {
            String ref = path.group(3);
            if (ref.startsWith("refs/")) {
                return DoubleResponse.error(404, "Not Found", DOCS + "refs#get-a-reference");
            }
            // served by a replica, which may not have seen the latest move yet
            return repo.readersSee("refs/" + ref).map(sha -> DoubleResponse.of(200, refJson(repo, "refs/" + ref, sha)))
                    .orElseGet(() -> DoubleResponse.error(404, "Not Found", DOCS + "refs#get-a-reference"));
        });
    }

    private DoubleResponse createRef(DoubleRequest request, Matcher path) {
        return inRepo(path, repo -> {
            String ref = request.json().get("ref").asText();
            String sha = request.json().get("sha").asText();
            if (!ref.startsWith("refs/") || ref.chars().filter(c -> c == '/').count() < 2) {
                return DoubleResponse.error(422, "Reference name must start with 'refs/' and have at least two slashes.",
                        DOCS + "refs#create-a-reference");
            }
            if (repo.objects().find(sha).isEmpty()) {
                return DoubleResponse.error(422, "Object does not exist", DOCS + "refs#create-a-reference");
            }
            if (!repo.createRef(ref, sha)) {
                return DoubleResponse.error(422, "Reference already exists", DOCS + "refs#create-a-reference");
            }
            return DoubleResponse.of(201, refJson(repo, ref, sha)).withHeader("Location",
                    host.apiUrl() + "/repos/" + repo.fullName() + "/git/" + ref);
        });
    }

    private DoubleResponse updateRef(DoubleRequest request, Matcher path) {
        return inRepo(path, repo -> {
            String ref = "refs/" + path.group(3);
            String sha = request.json().get("sha").asText();
            boolean force = request.json().path("force").asBoolean(false);
            Optional<String> current = repo.ref(ref);
            if (current.isEmpty()) {
                return DoubleResponse.error(422, "Reference does not exist", DOCS + "refs#update-a-reference");
            }
            if (repo.objects().find(sha, Commit.class).isEmpty()) {
                return DoubleResponse.error(422, "Object does not exist", DOCS + "refs#update-a-reference");
            }
            if (!force && !isAncestor(repo, current.get(), sha)) {
                return DoubleResponse.error(422, "Update is not a fast forward", DOCS + "refs#update-a-reference");
            }
            if (!repo.moveRef(ref, current.get(), sha)) {
                return DoubleResponse.error(422, "Reference cannot be updated", DOCS + "refs#update-a-reference");
            }
            return DoubleResponse.of(200, refJson(repo, ref, sha));
        });
    }

    private DoubleResponse getTree(DoubleRequest request, Matcher path) {
        return inRepo(path, repo -> {
            String sha = path.group(3);
            // like GitHub, a commit id is accepted and means that commit's root tree
            Optional<String> treeSha = repo.objects().find(sha, Commit.class).map(Commit::tree)
                    .or(() -> repo.objects().find(sha, Tree.class).map(Tree::sha));
            if (treeSha.isEmpty()) {
                return DoubleResponse.error(404, "Not Found", DOCS + "trees#get-a-tree");
            }
            boolean recursive = request.query().containsKey("recursive");
            return DoubleResponse.of(200, treeJson(repo, treeSha.get(), recursive));
        });
    }

    private DoubleResponse createTree(DoubleRequest request, Matcher path) {
        return inRepo(path, repo -> {
            Map<String, String> files = new TreeMap<>();
            JsonNode base = request.json().get("base_tree");
            if (base != null && !base.isNull()) {
                if (repo.objects().find(base.asText(), Tree.class).isEmpty()) {
                    return DoubleResponse.error(422, "base_tree is not a valid tree oid", DOCS + "trees#create-a-tree");
                }
                files.putAll(repo.objects().flatten(base.asText()));
            }
            for (JsonNode entry : request.json().get("tree")) {
                String entryPath = entry.get("path").asText();
                if (!entry.path("type").asText("blob").equals("blob")) {
                    return DoubleResponse.error(422, "the double only creates trees of blobs", DOCS);
                }
                if (entry.has("content")) {
                    files.put(entryPath,
                            repo.objects().writeBlob(entry.get("content").asText().getBytes(StandardCharsets.UTF_8))
                                    .sha());
                } else if (entry.path("sha").isNull()) {
                    files.remove(entryPath);
                } else if (repo.objects().find(entry.get("sha").asText(), Blob.class).isPresent()) {
                    files.put(entryPath, entry.get("sha").asText());
                } else {
                    return DoubleResponse.error(422, "tree.sha " + entry.get("sha").asText() + " is not a valid blob",
                            DOCS + "trees#create-a-tree");
                }
            }
            Tree tree = repo.objects().writeTree(files);
            return DoubleResponse.of(201, treeJson(repo, tree.sha(), false));
        });
    }

    private DoubleResponse getBlob(DoubleRequest request, Matcher path) {
        return inRepo(path, repo -> repo.objects().find(path.group(3), Blob.class)
                .map(blob -> DoubleResponse.of(200, Json.object().put("sha", blob.sha())
                        .put("node_id", host.nodeId("Blob", blob.sha())).put("size", blob.content().length)
                        .put("url", url(repo, "blobs", blob.sha()))
                        // GitHub wraps base64 at 60 characters
                        .put("content", Base64.getMimeEncoder(60, "\n".getBytes()).encodeToString(blob.content()) + "\n")
                        .put("encoding", "base64")))
                .orElseGet(() -> DoubleResponse.error(404, "Not Found", DOCS + "blobs#get-a-blob")));
    }

    private DoubleResponse createBlob(DoubleRequest request, Matcher path) {
        return inRepo(path, repo -> {
            String content = request.json().get("content").asText();
            String encoding = request.json().path("encoding").asText("utf-8");
            byte[] bytes = encoding.equals("base64")
                    ? Base64.getMimeDecoder().decode(content)
                    : content.getBytes(StandardCharsets.UTF_8);
            Blob blob = repo.objects().writeBlob(bytes);
            return DoubleResponse.of(201, Json.object().put("url", url(repo, "blobs", blob.sha())).put("sha", blob.sha()));
        });
    }

    private DoubleResponse getCommit(DoubleRequest request, Matcher path) {
        return inRepo(path, repo -> repo.objects().find(path.group(3), Commit.class)
                .filter(c -> repo.readersKnow(c.sha()))
                .map(c -> DoubleResponse.of(200, commitJson(repo, c)))
                .orElseGet(() -> DoubleResponse.error(404, "Not Found", DOCS + "commits#get-a-commit-object")));
    }

    private DoubleResponse createCommit(DoubleRequest request, Matcher path) {
        return inRepo(path, repo -> {
            JsonNode body = request.json();
            String tree = body.get("tree").asText();
            if (repo.objects().find(tree, Tree.class).isEmpty()) {
                return DoubleResponse.error(422, "Tree SHA does not exist", DOCS + "commits#create-a-commit");
            }
            List<String> parents = new ArrayList<>();
            body.path("parents").forEach(p -> parents.add(p.asText()));
            for (String parent : parents) {
                if (repo.objects().find(parent, Commit.class).isEmpty()) {
                    return DoubleResponse.error(422, "Parent SHA does not exist or is not a commit object",
                            DOCS + "commits#create-a-commit");
                }
            }
            Person author = person(body.get("author"), null);
            Person committer = person(body.get("committer"), author);
            Commit commit = repo.objects().writeCommit(tree, parents, author, committer, body.get("message").asText());
            return DoubleResponse.of(201, commitJson(repo, commit));
        });
    }

    /** The token's user when the request names nobody, as GitHub does. */
    private Person person(JsonNode node, Person fallback) {
        if (node == null || node.isNull()) {
            return fallback != null ? fallback : host.tokenOwner(host.clock().now());
        }
        long when = node.hasNonNull("date")
                ? OffsetDateTime.parse(node.get("date").asText()).toEpochSecond()
                : host.clock().now().getEpochSecond();
        return new Person(node.get("name").asText(), node.get("email").asText(), when);
    }

    private static boolean isAncestor(HostedRepository repo, String ancestor, String of) {
        Deque<String> todo = new ArrayDeque<>(List.of(of));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String sha = todo.pop();
            if (sha.equals(ancestor)) {
                return true;
            }
            if (seen.add(sha)) {
                repo.objects().find(sha, Commit.class).ifPresent(c -> todo.addAll(c.parents()));
            }
        }
        return false;
    }

    private ObjectNode refJson(HostedRepository repo, String ref, String sha) {
        ObjectNode json = Json.object().put("ref", ref).put("node_id", host.nodeId("Ref", repo.fullName() + ref))
                .put("url", host.apiUrl() + "/repos/" + repo.fullName() + "/git/" + ref);
        json.putObject("object").put("type", "commit").put("sha", sha).put("url", url(repo, "commits", sha));
        return json;
    }

    /**
     * A recursive listing holding more entries than GitHub's limit comes back {@code truncated} with only the first
     * ones; a client must then walk the subtrees one by one, which still answer in full.
     */
    private ObjectNode treeJson(HostedRepository repo, String treeSha, boolean recursive) {
        ObjectNode json = Json.object().put("sha", treeSha).put("url", url(repo, "trees", treeSha));
        ArrayNode entries = json.putArray("tree");
        addEntries(repo, treeSha, "", recursive, entries);
        int limit = host.contentLimits().recursiveTreeEntries();
        boolean truncated = recursive && entries.size() > limit;
        while (truncated && entries.size() > limit) {
            entries.remove(entries.size() - 1);
        }
        json.put("truncated", truncated);
        return json;
    }

    private void addEntries(HostedRepository repo, String treeSha, String prefix, boolean recursive, ArrayNode out) {
        for (GitObjects.TreeEntry e : repo.objects().find(treeSha, Tree.class).orElseThrow().entries()) {
            ObjectNode entry = out.addObject().put("path", prefix + e.name()).put("mode", e.mode())
                    .put("type", e.type()).put("sha", e.sha());
            if (e.type().equals("blob")) {
                entry.put("size", repo.objects().find(e.sha(), Blob.class).orElseThrow().content().length);
                entry.put("url", url(repo, "blobs", e.sha()));
            } else {
                entry.put("url", url(repo, "trees", e.sha()));
                if (recursive) {
                    addEntries(repo, e.sha(), prefix + e.name() + "/", true, out);
                }
            }
        }
    }

    ObjectNode commitJson(HostedRepository repo, Commit commit) {
        ObjectNode json = Json.object().put("sha", commit.sha()).put("node_id", host.nodeId("Commit", commit.sha()))
                .put("url", url(repo, "commits", commit.sha()))
                .put("html_url", "https://github.com/" + repo.fullName() + "/commit/" + commit.sha());
        json.set("author", personJson(commit.author()));
        json.set("committer", personJson(commit.committer()));
        json.put("message", commit.message());
        json.putObject("tree").put("sha", commit.tree()).put("url", url(repo, "trees", commit.tree()));
        ArrayNode parents = json.putArray("parents");
        commit.parents().forEach(p -> parents.addObject().put("sha", p).put("url", url(repo, "commits", p))
                .put("html_url", "https://github.com/" + repo.fullName() + "/commit/" + p));
        json.putObject("verification").put("verified", false).put("reason", "unsigned").putNull("signature")
                .putNull("payload").putNull("verified_at");
        return json;
    }

    private static ObjectNode personJson(Person p) {
        return Json.object().put("name", p.name()).put("email", p.email()).put("date",
                OffsetDateTime.ofInstant(Instant.ofEpochSecond(p.epochSeconds()), ZoneOffset.UTC).toString());
    }

    private String url(HostedRepository repo, String kind, String sha) {
        return host.apiUrl() + "/repos/" + repo.fullName() + "/git/" + kind + "/" + sha;
    }
}
