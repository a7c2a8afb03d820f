package dev.monkeytown.state.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeEditorTest {

    @TempDir
    Path directory;

    private LocalGitRepository repository;

    @BeforeEach
    void open() {
        repository = LocalGitRepository.openOrCreate(directory);
    }

    @AfterEach
    void close() {
        repository.close();
    }

    @Test
    void randomEditsMatchAPlainMapOfDocuments() throws IOException {
        // Names chosen to collide in Git's ordering: "a" < "a-b" < "a.b" < "a/" < "a0".
        List<String> paths = List.of("a", "a-b", "a.b", "a0", "b/a", "b/a-b", "b/a.b", "b/a0", "b/c/d", "b/c-d",
                "c/a/b/c", "c/a-b", "c/a0/x", "d", "e/f");
        Random random = new Random(42);
        Map<String, String> expected = new HashMap<>();
        ObjectId tree = null;
        for (int round = 0; round < 300; round++) {
            Map<String, byte[]> puts = new HashMap<>();
            Set<String> deletes = new HashSet<>();
            for (int i = random.nextInt(4); i >= 0; i--) {
                String path = paths.get(random.nextInt(paths.size()));
                if (random.nextInt(3) == 0) {
                    deletes.add(path);
                    puts.remove(path);
                } else if (!conflicts(path, expected, puts, deletes)) {
                    puts.put(path, ("v" + round).getBytes(StandardCharsets.UTF_8));
                    deletes.remove(path);
                }
            }
            tree = write(tree, puts, deletes);
            deletes.forEach(expected::remove);
            puts.forEach((path, content) -> expected.put(path, new String(content, StandardCharsets.UTF_8)));
            assertEquals(expected, read(tree), "after round " + round);
        }
    }

    @Test
    void aFolderEmptiedAndReplacedByADocumentInOneCommit() throws IOException {
        ObjectId tree = write(null, Map.of("runs/1.json", bytes("1"), "runs/2.json", bytes("2")), Set.of());

        ObjectId replaced = write(tree, Map.of("runs", bytes("file")), Set.of("runs/1.json", "runs/2.json"));
        assertEquals(Map.of("runs", "file"), read(replaced));

        ObjectId back = write(replaced, Map.of("runs/3.json", bytes("3")), Set.of("runs"));
        assertEquals(Map.of("runs/3.json", "3"), read(back));
    }

    @Test
    void removingTheLastDocumentRemovesItsFolders() throws IOException {
        ObjectId tree = write(null, Map.of("a/b/c.json", bytes("1"), "d.json", bytes("2")), Set.of());

        assertEquals(Map.of("d.json", "2"), read(write(tree, Map.of(), Set.of("a/b/c.json"))));
        assertEquals(Map.of(), read(write(tree, Map.of(), Set.of("a/b/c.json", "d.json"))));
    }

    @Test
    void refusesADocumentNamedLikeAFolderThatStays() throws IOException {
        ObjectId tree = write(null, Map.of("runs/1.json", bytes("1")), Set.of());

        assertThrows(IllegalArgumentException.class, () -> write(tree, Map.of("runs", bytes("x")), Set.of()));
    }

    private static boolean conflicts(String path, Map<String, String> current, Map<String, byte[]> puts,
            Set<String> deletes) {
        Set<String> after = new HashSet<>(current.keySet());
        after.removeAll(deletes);
        after.addAll(puts.keySet());
        return after.stream().anyMatch(other -> other.startsWith(path + "/") || path.startsWith(other + "/"));
    }

    private ObjectId write(ObjectId tree, Map<String, byte[]> puts, Set<String> deletes) throws IOException {
        Repository jgit = repository.jgit();
        try (ObjectInserter inserter = jgit.newObjectInserter(); ObjectReader reader = jgit.newObjectReader()) {
            ObjectId id = TreeEditor.apply(reader, inserter, tree, puts, deletes);
            inserter.flush();
            return id;
        }
    }

    private Map<String, String> read(ObjectId tree) throws IOException {
        Map<String, String> files = new HashMap<>();
        try (TreeWalk walk = new TreeWalk(repository.jgit())) {
            walk.addTree(tree);
            walk.setRecursive(true);
            while (walk.next()) {
                byte[] content = repository.jgit().open(walk.getObjectId(0), Constants.OBJ_BLOB).getBytes();
                files.put(walk.getPathString(), new String(content, StandardCharsets.UTF_8));
            }
        }
        return files;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
