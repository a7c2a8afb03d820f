package dev.monkeytown.artifact.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a spool leaves behind: nothing once discarded, and what a dead process left goes at the next start. */
class SpoolFileTest {

    @TempDir
    Path folder;

    @Test
    void aBlobOverTheLimitDiscardsItsSpool() throws Exception {
        SpoolFile spool = SpoolFile.create(folder, 4);
        BlobTooLargeException refused = assertThrows(BlobTooLargeException.class,
                () -> spool.append(new ByteArrayInputStream(new byte[5])));
        assertEquals(4, refused.limit());
        assertFalse(Files.exists(spool.path()));
    }

    @Test
    void theSweepAtStartDeletesSpoolFilesAndNothingElse() throws Exception {
        SpoolFile leftOver = SpoolFile.create(folder, 100);
        leftOver.append(new ByteArrayInputStream(new byte[10]));
        Path unrelated = Files.writeString(folder.resolve("notes.txt"), "not a spool file");

        SpoolFile.sweep(folder);

        assertFalse(Files.exists(leftOver.path()));
        assertTrue(Files.exists(unrelated));
    }
}
