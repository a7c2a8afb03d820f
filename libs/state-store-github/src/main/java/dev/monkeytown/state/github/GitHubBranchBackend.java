package dev.monkeytown.state.github;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.kohsuke.github.GHRepository;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.monkeytown.github.ApiResponse;
import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.github.GitHubApiException;
import dev.monkeytown.github.GitHubUnavailableException;
import dev.monkeytown.github.GraphQlResult;
import dev.monkeytown.github.RequestKind;
import dev.monkeytown.state.spi.AmbiguousCommitException;
import dev.monkeytown.state.spi.BackendException;
import dev.monkeytown.state.spi.BranchBackend;
import dev.monkeytown.state.spi.CommitMetadata;
import dev.monkeytown.state.spi.CommitTrailers;
import dev.monkeytown.state.spi.HeadMovedException;
import dev.monkeytown.state.spi.History;

/**
 * A state branch on GitHub. Costs, which are the point of this class:
 * <ul>
 * <li>{@link #readHead()}: a conditional GET of the ref; 304 (free) while nobody wrote.</li>
 * <li>{@link #readTree}: one recursive tree read; if GitHub truncates it (100,000 entries or 7 MB), the folders are
 * read one level at a time instead ({@link TreeReader}).</li>
 * <li>{@link #readBlobs}: many documents per GraphQL query ({@link GraphQlReads}), so a restart costs a handful of
 * requests; {@link #readBlob}: one GET.</li>
 * <li>{@link #history}: 100 commits per GraphQL query.</li>
 * <li>{@link #commit}: ONE GraphQL {@code createCommitOnBranch} with {@code expectedHeadOid}, whatever the number of
 * files; GitHub moves the branch only if the head is still the expected one (compare-and-swap).</li>
 * <li>creating the branch: tree + root commit + ref through the Git Data API, once in the branch's life.</li>
 * </ul>
 * Nothing is cached here: Git objects are immutable and the engine keeps the ones it needs, so reads of them bypass
 * the client's ETag cache too ({@link GitHubAccess#getImmutable}).
 * <p>
 * Every commit outcome is classified once, from the client's exception or GraphQL's {@link GraphQlResult#outcome()}:
 * a lost or 5xx answer and a GraphQL timeout are ambiguous (the engine settles them by the batch id in the message),
 * {@code STALE_DATA} is a lost race, a missing branch is retryable (the engine's view tells a lagging replica from a
 * deleted branch), anything else is a refusal.
 * <p>
 * {@code createCommitOnBranch} cannot set the author: GitHub authors such commits as the token's user. The actor who
 * asked is kept as a {@code Co-authored-by} trailer, which GitHub shows on the commit, so the history stays the audit
 * trail.
 */
public final class GitHubBranchBackend implements BranchBackend {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COMMIT_ON_BRANCH = """
            mutation CommitState($input: CreateCommitOnBranchInput!) {
              createCommitOnBranch(input: $input) {
                commit { oid }
              }
            }""";

    /** Where creation marks live: outside refs/heads and refs/tags, so no branch or tag list shows them. */
    static final String CREATED = "refs/monkeytown/created/";

    private final GitHubAccess github;
    private final String repository;
    private final String branch;
    private final TreeReader trees;
    private final GraphQlReads graphql;
    private volatile GHRepository hub4jRepository;

    /**
     * @param repository {@code owner/name} of the Monkeytown repository
     * @param service the service owning branch {@code monkeytown/state/<service>}
     */
    public GitHubBranchBackend(GitHubAccess github, String repository, String service) {
        this.github = github;
        this.repository = repository;
        this.branch = "monkeytown/state/" + service;
        this.trees = new TreeReader(github, repository);
        this.graphql = new GraphQlReads(github, repository);
    }

    @Override
    public String ref() {
        return "refs/heads/" + branch;
    }

    @Override
    public Optional<String> impairment() {
        return github.impairment();
    }

    /** A conditional read of the creation mark: free (304) while nothing changes. */
    @Override
    public boolean existedBefore() throws BackendException {
        ApiResponse response = GitHubCalls.call("read the creation mark of " + branch,
                () -> github.get("/repos/" + repository + "/git/ref/" + CREATED.substring("refs/".length()) + branch));
        if (response.status() == 404 || response.status() == 409) {
            return false;
        }
        if (response.status() != 200) {
            throw new BackendException("reading the creation mark of " + branch + " failed: HTTP "
                    + response.status(), null, response.status() >= 500);
        }
        return true;
    }

    @Override
    public Optional<String> readHead() throws BackendException {
        ApiResponse response = GitHubCalls.call("read head of " + branch,
                () -> github.get("/repos/" + repository + "/git/ref/heads/" + branch));
        // 404: no such branch yet; 409: the repository has no commits at all
        if (response.status() == 404 || response.status() == 409) {
            return Optional.empty();
        }
        if (response.status() != 200) {
            throw new BackendException("reading " + ref() + " failed: HTTP " + response.status(), null,
                    response.status() >= 500);
        }
        try {
            return Optional.of(JSON.readTree(response.body()).path("object").path("sha").asText());
        } catch (IOException e) {
            throw new BackendException("unreadable ref response for " + ref(), e, false);
        }
    }

    @Override
    public Map<String, String> readTree(String commitId) throws BackendException {
        return trees.files(commitId);
    }

    @Override
    public byte[] readBlob(String blobId) throws BackendException {
        ApiResponse response = GitHubCalls.call("read blob " + blobId,
                () -> github.getImmutable("/repos/" + repository + "/git/blobs/" + blobId));
        if (response.status() != 200) {
            throw new BackendException("reading blob " + blobId + " failed: HTTP " + response.status(), null,
                    response.status() >= 500);
        }
        try {
            JsonNode blob = JSON.readTree(response.body());
            return Base64.getMimeDecoder().decode(blob.path("content").asText());
        } catch (IOException | IllegalArgumentException e) {
            throw new BackendException("unreadable blob " + blobId, e, false);
        }
    }

    @Override
    public Map<String, byte[]> readBlobs(Collection<String> blobIds) throws BackendException {
        Map<String, byte[]> blobs = new LinkedHashMap<>(graphql.blobs(blobIds));
        // GraphQL gives no text for binary or very large blobs: those few come by REST
        for (String id : blobIds) {
            if (!blobs.containsKey(id)) {
                blobs.put(id, readBlob(id));
            }
        }
        return blobs;
    }

    @Override
    public History history(String head, Optional<String> base, int limit) throws BackendException {
        return graphql.history(head, base, limit);
    }

    /**
     * GitHub's compare API relates two commits in one counted read, however far apart they are; the answer never
     * changes for two commit ids, so it is not revalidated. A commit GitHub's replicas do not have yet is a 404:
     * "cannot tell".
     */
    @Override
    public Optional<Boolean> isAncestor(String ancestor, String descendant) throws BackendException {
        if (ancestor.equals(descendant)) {
            return Optional.of(true);
        }
        ApiResponse response = GitHubCalls.call("compare " + ancestor + " with " + descendant,
                () -> github.getImmutable("/repos/" + repository + "/compare/" + ancestor + "..." + descendant
                        + "?per_page=1"));
        if (response.status() == 404) {
            return Optional.empty();
        }
        if (response.status() != 200) {
            throw new BackendException("comparing commits failed: HTTP " + response.status(), null,
                    response.status() >= 500);
        }
        try {
            String status = JSON.readTree(response.body()).path("status").asText();
            return Optional.of(status.equals("ahead") || status.equals("identical"));
        } catch (IOException e) {
            throw new BackendException("unreadable comparison of " + ancestor + " and " + descendant, e, false);
        }
    }

    @Override
    public String commit(Optional<String> expectedHead, Map<String, byte[]> puts, Set<String> deletes,
            CommitMetadata metadata) throws HeadMovedException, BackendException {
        if (expectedHead.isEmpty()) {
            return createBranch(puts, metadata);
        }
        List<Map<String, String>> additions = new ArrayList<>();
        new TreeMap<>(puts).forEach((path, content) -> additions
                .add(Map.of("path", path, "contents", Base64.getEncoder().encodeToString(content))));
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("branch", Map.of("repositoryNameWithOwner", repository, "branchName", branch));
        input.put("expectedHeadOid", expectedHead.get());
        input.put("message", message(metadata));
        input.put("fileChanges", Map.of("additions", additions,
                "deletions", deletes.stream().sorted().map(p -> Map.of("path", p)).toList()));

        GraphQlResult result;
        try {
            result = github.graphql(COMMIT_ON_BRANCH, Map.of("input", input), RequestKind.WRITE);
        } catch (GitHubUnavailableException e) {
            if (e.mayHaveReachedGitHub()) {
                throw ambiguous("its answer was lost: " + e.getMessage(), e);
            }
            throw new BackendException("commit to " + branch + ": " + e.getMessage(), e, true);
        } catch (GitHubApiException e) {
            if (e.status() >= 500) {
                throw ambiguous("GitHub answered HTTP " + e.status(), e);
            }
            throw new BackendException("commit to " + branch + ": " + e.getMessage(), e, false);
        } catch (IOException e) {
            throw ambiguous("the connection failed: " + e.getMessage(), e);
        }
        return switch (result.outcome()) {
            case OK -> commitId(result);
            case STALE_DATA -> throw new HeadMovedException(branch + " is no longer at " + expectedHead.get() + ": "
                    + result.errorMessages());
            // a lagging replica right after the branch was created, or a deleted branch: the view tells which
            case NOT_FOUND -> throw new BackendException(branch + " not found: " + result.errorMessages(), null, true);
            case TIMEOUT -> throw ambiguous("GitHub gave up executing it: " + result.errorMessages(), null);
            case RATE_LIMITED -> throw new BackendException("GitHub's GraphQL rate limit outlasted the bounded wait: "
                    + result.errorMessages(), null, true);
            case REFUSED -> throw new BackendException("GitHub refused the commit to " + branch + ": "
                    + result.errorMessages(), null, false);
        };
    }

    private String commitId(GraphQlResult result) throws BackendException {
        JsonNode oid = result.data().path("createCommitOnBranch").path("commit").path("oid");
        if (!oid.isTextual()) {
            throw ambiguous("GitHub answered without a commit id", null);
        }
        return oid.asText();
    }

    /**
     * The moment the failure is seen stands in for when the request left: it is no earlier, so the engine never
     * calls the commit "not landed" before GitHub's own timeout has passed.
     */
    private AmbiguousCommitException ambiguous(String why, Exception cause) {
        return new AmbiguousCommitException("the commit to " + branch + " may or may not have landed: " + why, cause,
                Instant.now());
    }

    private String createBranch(Map<String, byte[]> puts, CommitMetadata metadata)
            throws HeadMovedException, BackendException {
        GHRepository repo = GitHubCalls.call("open " + repository, this::repository);
        return new RootCommit(repo, this).write(puts, metadata);
    }

    /** GraphQL takes headline and body apart; the actor, who cannot be the author here, joins the trailer block. */
    private Map<String, String> message(CommitMetadata metadata) {
        String text = CommitTrailers.with(metadata.message(), CommitTrailers.CO_AUTHORED_BY,
                metadata.author().name() + " <" + metadata.author().email() + ">");
        int newline = text.indexOf('\n');
        String headline = newline < 0 ? text : text.substring(0, newline).strip();
        String body = newline < 0 ? "" : text.substring(newline + 1).strip();
        return Map.of("headline", headline, "body", body);
    }

    private GHRepository repository() throws IOException {
        GHRepository repo = hub4jRepository;
        if (repo == null) {
            repo = github.rest().getRepository(repository);
            hub4jRepository = repo;
        }
        return repo;
    }
}
