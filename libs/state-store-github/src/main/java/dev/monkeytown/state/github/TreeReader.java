package dev.monkeytown.state.github;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.monkeytown.github.ApiResponse;
import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.state.spi.BackendException;

/**
 * Reads every file of a commit's tree. One recursive read does it, until GitHub truncates the answer (100,000 entries
 * or 7 MB): then the root is listed one level deep and each folder read recursively on its own, descending further only
 * where a folder's own answer is truncated too. A branch that keeps every run forever thus stays readable — a restart
 * never fails for good because the history grew.
 */
final class TreeReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final GitHubAccess github;
    private final String repository;

    TreeReader(GitHubAccess github, String repository) {
        this.github = github;
        this.repository = repository;
    }

    /** Path to blob id of every file (regular, executable or link) of {@code treeish} (a commit or tree id). */
    Map<String, String> files(String treeish) throws BackendException {
        Map<String, String> files = new TreeMap<>();
        JsonNode recursive = read(treeish, true);
        if (!recursive.path("truncated").asBoolean(false)) {
            addBlobs(recursive, "", files);
            return files;
        }
        descend(recursive.path("sha").asText(treeish), "", files);
        return files;
    }

    private void descend(String treeSha, String prefix, Map<String, String> files) throws BackendException {
        JsonNode level = read(treeSha, false);
        if (level.path("truncated").asBoolean(false)) {
            throw new BackendException("folder '" + prefix + "' of the state branch holds more entries than GitHub "
                    + "lists in one answer; split it", null, false);
        }
        for (JsonNode entry : level.path("tree")) {
            String path = prefix + entry.path("path").asText();
            String type = entry.path("type").asText();
            if (type.equals("blob")) {
                files.put(path, entry.path("sha").asText());
            } else if (type.equals("tree")) {
                JsonNode folder = read(entry.path("sha").asText(), true);
                if (folder.path("truncated").asBoolean(false)) {
                    descend(entry.path("sha").asText(), path + "/", files);
                } else {
                    addBlobs(folder, path + "/", files);
                }
            }
        }
    }

    private static void addBlobs(JsonNode tree, String prefix, Map<String, String> files) {
        for (JsonNode entry : tree.path("tree")) {
            if (entry.path("type").asText().equals("blob")) {
                files.put(prefix + entry.path("path").asText(), entry.path("sha").asText());
            }
        }
    }

    private JsonNode read(String sha, boolean recursive) throws BackendException {
        String path = "/repos/" + repository + "/git/trees/" + sha + (recursive ? "?recursive=1" : "");
        ApiResponse response = GitHubCalls.call("read tree " + sha, () -> github.getImmutable(path));
        if (response.status() != 200) {
            throw new BackendException("reading tree " + sha + " failed: HTTP " + response.status(), null,
                    response.status() >= 500 || response.status() == 404);
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new BackendException("unreadable tree " + sha, e, false);
        }
    }
}
