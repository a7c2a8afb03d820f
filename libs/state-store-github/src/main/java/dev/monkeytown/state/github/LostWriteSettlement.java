package dev.monkeytown.state.github;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.monkeytown.github.ApiResponse;
import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.github.GitHubUnavailableException;
import dev.monkeytown.state.spi.BackendException;
import dev.monkeytown.state.spi.HeadMovedException;

/**
 * Settles a commit whose answer was lost (timeout, 5xx): did GitHub move the branch or not? The engine re-applies
 * changes after a failure, so reporting a commit that landed as failed would write it twice. Our commit is recognised
 * by what Git makes unique: parent = the expected head and root tree = the tree computed locally.
 */
final class LostWriteSettlement {

    /** How far back from the head to look for our commit, in case other writers committed on top of it already. */
    private static final int MAX_WALK = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GitHubAccess github;
    private final String repository;

    LostWriteSettlement(GitHubAccess github, String repository) {
        this.github = github;
        this.repository = repository;
    }

    /**
     * @return our commit's id if it landed
     * @throws HeadMovedException it did not land and someone else moved the branch
     * @throws BackendException (retryable) it did not land and the head is unchanged; (not retryable) it could not be
     *         told within {@code patience}, so neither the engine nor we may assume either way
     */
    String settle(String branch, String expectedHead, String ourTree, Duration patience, Exception lost)
            throws HeadMovedException, BackendException {
        Instant giveUp = Instant.now().plus(patience);
        Exception last = lost;
        while (Instant.now().isBefore(giveUp)) {
            try {
                return look(branch, expectedHead, ourTree, lost);
            } catch (GitHubUnavailableException | IOException e) {
                last = e;
                sleep();
            }
        }
        throw new BackendException("the commit to " + branch + " may or may not have landed (its answer was lost and "
                + "GitHub stayed unreachable); not retrying it blindly", last, false);
    }

    private String look(String branch, String expectedHead, String ourTree, Exception lost)
            throws IOException, HeadMovedException, BackendException {
        ApiResponse ref = github.get("/repos/" + repository + "/git/ref/heads/" + branch);
        if (ref.status() == 404) {
            throw new HeadMovedException(branch + " was deleted");
        }
        if (ref.status() != 200) {
            throw new IOException("reading " + branch + ": HTTP " + ref.status());
        }
        String sha = JSON.readTree(ref.body()).path("object").path("sha").asText();
        if (sha.equals(expectedHead)) {
            throw new BackendException("the commit to " + branch + " did not land: " + lost.getMessage(), lost, true);
        }
        for (int i = 0; i < MAX_WALK && !sha.equals(expectedHead); i++) {
            ApiResponse commit = github.get("/repos/" + repository + "/git/commits/" + sha);
            if (commit.status() != 200) {
                throw new IOException("reading commit " + sha + ": HTTP " + commit.status());
            }
            JsonNode json = JSON.readTree(commit.body());
            List<String> parents = json.path("parents").findValuesAsText("sha");
            if (parents.equals(List.of(expectedHead)) && json.path("tree").path("sha").asText().equals(ourTree)) {
                return sha;
            }
            Optional<String> firstParent = parents.stream().findFirst();
            if (firstParent.isEmpty()) {
                break;
            }
            sha = firstParent.get();
        }
        if (sha.equals(expectedHead)) {
            throw new HeadMovedException(branch + " moved to another writer's commit; ours did not land");
        }
        throw new BackendException("the commit to " + branch + " may or may not have landed: more than " + MAX_WALK
                + " commits since, or history rewritten", lost, false);
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
