package dev.monkeytown.github.testdouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Recursive tree listings past the limit come back truncated; the pieces stay readable one by one. */
class TruncatedTreesTest {

    private final GitHubDouble github = GitHubDouble.start();
    private final DoubleClient client = new DoubleClient(github);
    private String commit;

    @BeforeEach
    void seed() {
        // root: queue.json, runs/ (2 files), live/ (1 file) = 7 entries recursively, runs/ alone 2
        commit = github.repository("acme", "town").commitFiles("state", Map.of("queue.json", "[]", "runs/1.json", "1",
                "runs/2.json", "2", "live/1.json", "1"), "seed");
    }

    @AfterEach
    void stop() {
        github.closeRequiringValidRequests();
    }

    @Test
    void wholeByDefault() throws Exception {
        JsonNode tree = tree(commit, true);
        assertFalse(tree.get("truncated").asBoolean());
        assertEquals(6, tree.get("tree").size(), tree.toString());
    }

    @Test
    void recursiveListingPastTheLimitIsCutAndSaysSo() throws Exception {
        github.truncateRecursiveTreesAt(3);
        JsonNode recursive = tree(commit, true);
        assertTrue(recursive.get("truncated").asBoolean());
        assertEquals(3, recursive.get("tree").size());

        JsonNode top = tree(commit, false);
        assertFalse(top.get("truncated").asBoolean(), "a non-recursive read is never cut");
        assertEquals(3, top.get("tree").size());
        String runs = null;
        for (JsonNode entry : top.get("tree")) {
            if (entry.get("path").asText().equals("runs")) {
                runs = entry.get("sha").asText();
            }
        }
        JsonNode subtree = tree(runs, true);
        assertFalse(subtree.get("truncated").asBoolean(), "a subtree under the limit reads whole by its sha");
        assertEquals(2, subtree.get("tree").size());
    }

    private JsonNode tree(String sha, boolean recursive) throws Exception {
        return DoubleClient.json(client.get("/repos/acme/town/git/trees/" + sha + (recursive ? "?recursive=1" : "")));
    }
}
