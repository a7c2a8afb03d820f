package dev.monkeytown.state.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StatePathsTest {

    @ParameterizedTest
    @ValueSource(strings = {"queue.json", "runs/2026/11/27/01JD3S.json", "deployments/prod/v1.2.3+build=7.json",
            "agents/docs_agent-2@x.json", ".gitignore", "a..b/c", "..a"})
    void acceptsOrdinaryDocumentPaths(String path) {
        assertEquals(path, StatePaths.requireValid(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/queue.json", "runs/", "runs//a.json", "../a.json", "runs/../../a.json", "./a.json",
            "runs/./a.json", "runs/..", ".git", "runs/.Git/config", "a b.json", "a\tb", "a\\b", "a:b", "a*b", "a?b",
            "caf\u00e9.json", "a\u0000b"})
    void refusesPathsThatCouldEscapeOrConfuseGit(String path) {
        assertThrows(IllegalArgumentException.class, () -> StatePaths.requireValid(path));
    }

    @Test
    void refusesOverlongPaths() {
        String path = "a/".repeat(StatePaths.MAX_PATH_LENGTH / 2) + "b";
        assertThrows(IllegalArgumentException.class, () -> StatePaths.requireValid(path));
        String segment = "x".repeat(StatePaths.MAX_SEGMENT_LENGTH + 1);
        assertThrows(IllegalArgumentException.class, () -> StatePaths.requireValid(segment));
    }

    @ParameterizedTest
    @ValueSource(strings = {"runs", "runs/"})
    void folderIsNormalisedToEndWithASlash(String folder) {
        assertEquals("runs/", StatePaths.requireValidFolder(folder));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "//", "/runs", "runs//", "../runs", "runs/../x/"})
    void refusesBadFolders(String folder) {
        assertThrows(IllegalArgumentException.class, () -> StatePaths.requireValidFolder(folder));
    }

    @Test
    void emptyFolderMeansTheWholeBranch() {
        assertEquals("", StatePaths.requireValidFolder(""));
        assertThrows(IllegalArgumentException.class, () -> StatePaths.requireValidFolder(null));
    }
}
