package dev.monkeytown.state.github;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.kohsuke.github.GHFileNotFoundException;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GHTreeBuilder;
import org.kohsuke.github.HttpException;

import dev.monkeytown.github.GitHubUnavailableException;
import dev.monkeytown.state.spi.AmbiguousCommitException;
import dev.monkeytown.state.spi.BackendException;
import dev.monkeytown.state.spi.BranchBackend;
import dev.monkeytown.state.spi.CommitMetadata;
import dev.monkeytown.state.spi.HeadMovedException;

/**
 * Creates a state branch with its first commit through the Git Data API: tree (file contents inline), root commit,
 * ref — 3 writes, once in the branch's life. {@code createCommitOnBranch} cannot do it: it needs an existing branch.
 * Unlike GraphQL commits, these carry the real author and committer. The message is the engine's, batch id included.
 */
final class RootCommit {

    private final GHRepository repo;
    private final BranchBackend branch;

    RootCommit(GHRepository repo, BranchBackend branch) {
        this.repo = repo;
        this.branch = branch;
    }

    String write(Map<String, byte[]> puts, CommitMetadata metadata) throws HeadMovedException, BackendException {
        String tree = GitHubCalls.call("create tree for " + branch.ref(), () -> {
            GHTreeBuilder builder = repo.createTree();
            for (Map.Entry<String, byte[]> put : new TreeMap<>(puts).entrySet()) {
                Optional<String> text = utf8(put.getValue());
                // inline text costs nothing extra; binary content needs its own blob (rare in JSON state)
                if (text.isPresent()) {
                    builder.textEntry(put.getKey(), text.get(), false);
                } else {
                    builder.add(put.getKey(), put.getValue(), false);
                }
            }
            return builder.create().getSha();
        });
        Date when = Date.from(metadata.time());
        // trees and commits are content-addressed, so repeating these two after a lost answer is harmless
        String commit = GitHubCalls.call("create root commit for " + branch.ref(), () -> repo.createCommit()
                .message(metadata.message()).tree(tree)
                .author(metadata.author().name(), metadata.author().email(), when)
                .committer(metadata.committer().name(), metadata.committer().email(), when).create().getSHA1());
        try {
            repo.createRef(branch.ref(), commit);
        } catch (GHFileNotFoundException e) {
            // 404: the repository is gone or the token may not write it; waiting will not help
            throw new BackendException("creating " + branch.ref() + " failed: not found (repository or permission)",
                    e, false);
        } catch (HttpException e) {
            if (e.getResponseCode() == 422) {
                // "Reference already exists" is another writer's creation; any other 422 (a ruleset, a missing
                // object) is a refusal, and repeating it would only spend three writes a lap
                if (branch.readHead().isPresent()) {
                    throw new HeadMovedException(branch.ref() + " was created by another writer first");
                }
                throw new BackendException("GitHub refused to create " + branch.ref() + ": " + e.getMessage(), e,
                        false);
            }
            if (e.getResponseCode() < 500) {
                throw new BackendException("creating " + branch.ref() + " failed: HTTP " + e.getResponseCode(), e,
                        false);
            }
            settleLostCreation(commit, e);
        } catch (GitHubUnavailableException e) {
            if (!e.mayHaveReachedGitHub()) {
                throw new BackendException(e.getMessage(), e, true);
            }
            settleLostCreation(commit, e);
        } catch (IOException e) {
            settleLostCreation(commit, e);
        }
        markCreated(commit);
        return commit;
    }

    /**
     * Marks the branch as created ({@code refs/monkeytown/created/<branch>}, one write in the branch's life), so a
     * later deletion raises the alarm even in a process that never saw the branch. Best effort: without the mark the
     * branch only loses that protection.
     */
    private void markCreated(String commit) {
        try {
            repo.createRef(GitHubBranchBackend.CREATED + branch.ref().substring("refs/heads/".length()), commit);
        } catch (IOException | RuntimeException e) {
            // 422: marked before; anything else: the branch stands, unmarked
        }
    }

    /**
     * The ref creation's answer was lost: the engine settles it like any commit, by the batch id the root commit's
     * message carries, once GitHub can no longer be working on it.
     */
    private static void settleLostCreation(String commit, Exception lost) throws AmbiguousCommitException {
        throw new AmbiguousCommitException("creating the branch at " + commit + " may or may not have worked: "
                + lost.getMessage(), lost, Instant.now());
    }

    private static Optional<String> utf8(byte[] content) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
