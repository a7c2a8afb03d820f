package dev.monkeytown.state.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class TreeIndexTest {

    @Test
    void findsDocumentsAndFoldersAndListsThemInPathOrder() {
        TreeIndex index = TreeIndex.of(Map.of("a-c.json", "1", "a/b.json", "2", "a/z/y.json", "3", "b.json", "4"));

        assertEquals(4, index.size());
        assertEquals("2", index.blobId("a/b.json"));
        assertNull(index.blobId("a"));
        assertNull(index.blobId("a/z"));
        assertTrue(index.containsFolder("a/z"));
        assertFalse(index.containsFolder("a/b.json"));
        // the order of the full path strings ('-' sorts before '/'), which is Git's order
        assertEquals(List.of("a-c.json", "a/b.json", "a/z/y.json", "b.json"), index.pathsUnder(""));
        assertEquals(List.of("a/b.json", "a/z/y.json"), index.pathsUnder("a/"));
        assertEquals(List.of(), index.pathsUnder("c/"));
    }

    @Test
    void anEditRewritesOnlyTheFoldersOnItsPath() {
        Map<String, String> files = new TreeMap<>();
        for (int i = 0; i < 1000; i++) {
            files.put("runs/2026/12/" + (i % 30) + "/" + i + ".json", "id" + i);
            files.put("live/" + i + ".json", "id" + i);
        }
        TreeIndex before = TreeIndex.of(files);

        TreeIndex after = before.with(Map.of("runs/2026/12/7/new.json", "x"), Set.of("runs/2026/12/8/8.json"));

        assertSame(before.folderIdentity("live/"), after.folderIdentity("live/"), "an untouched folder is shared");
        assertSame(before.folderIdentity("runs/2026/12/9/"), after.folderIdentity("runs/2026/12/9/"));
        assertNotSame(before.folderIdentity("runs/2026/12/7/"), after.folderIdentity("runs/2026/12/7/"));
        assertEquals(before.size(), after.size());
        assertEquals("x", after.blobId("runs/2026/12/7/new.json"));
        assertNull(after.blobId("runs/2026/12/8/8.json"));
        assertEquals("id8", before.blobId("runs/2026/12/8/8.json"), "the old index is unchanged");
    }

    @Test
    void aFolderEmptiedByDeletesDisappears() {
        TreeIndex index = TreeIndex.of(Map.of("live/1.json", "1", "queue.json", "2"));

        TreeIndex after = index.with(Map.of(), Set.of("live/1.json", "never/was.json"));

        assertFalse(after.containsFolder("live"));
        assertEquals(List.of("queue.json"), after.pathsUnder(""));
    }

    @Test
    void refusesADocumentAndAFolderUnderOneName() {
        TreeIndex index = TreeIndex.of(Map.of("queue.json", "1", "live/1.json", "2"));

        assertThrows(IllegalArgumentException.class, () -> index.with(Map.of("live", "3"), Set.of()));
        assertThrows(IllegalArgumentException.class, () -> index.with(Map.of("queue.json/x", "3"), Set.of()));
        // replacing the folder by a document in one edit is fine
        TreeIndex replaced = index.with(Map.of("live", "3"), Set.of("live/1.json"));
        assertEquals("3", replaced.blobId("live"));
    }

    @Test
    void agreesWithAFlatMapOverRandomEdits() {
        Random random = new Random(42);
        for (int round = 0; round < 50; round++) {
            TreeMap<String, String> model = new TreeMap<>();
            TreeIndex index = TreeIndex.EMPTY;
            for (int step = 0; step < 40; step++) {
                Map<String, String> puts = new LinkedHashMap<>();
                Set<String> deletes = new HashSet<>();
                for (int edit = random.nextInt(6); edit >= 0; edit--) {
                    String path = randomPath(random);
                    if (random.nextInt(3) == 0 && !model.isEmpty()) {
                        deletes.add(new ArrayList<>(model.keySet()).get(random.nextInt(model.size())));
                    } else if (!clashes(model, puts, path)) {
                        puts.put(path, Integer.toString(random.nextInt(1000)));
                    }
                }
                deletes.removeAll(puts.keySet());
                index = index.with(puts, deletes);
                deletes.forEach(model::remove);
                model.putAll(puts);

                assertEquals(List.copyOf(model.keySet()), index.pathsUnder(""), "round " + round + " step " + step);
                assertEquals(model.size(), index.size());
                for (Map.Entry<String, String> file : model.entrySet()) {
                    assertEquals(file.getValue(), index.blobId(file.getKey()));
                }
                List<String> underA = new ArrayList<>(model.subMap("a/", "a0").keySet());
                assertEquals(underA, index.pathsUnder("a/"));
            }
        }
    }

    private static String randomPath(Random random) {
        String[] names = {"a", "b", "a-b", "a.b", "c"};
        StringBuilder path = new StringBuilder();
        for (int depth = random.nextInt(3); depth > 0; depth--) {
            path.append(names[random.nextInt(names.length)]).append('/');
        }
        return path.append(names[random.nextInt(names.length)]).append(".json").toString();
    }

    /** A put under a name the model (or this batch) holds as the other kind would make an invalid tree. */
    private static boolean clashes(Map<String, String> model, Map<String, String> puts, String path) {
        Set<String> files = new HashSet<>(model.keySet());
        files.addAll(puts.keySet());
        for (String file : files) {
            if (file.startsWith(path + "/") || path.startsWith(file + "/")) {
                return true;
            }
        }
        return false;
    }
}
