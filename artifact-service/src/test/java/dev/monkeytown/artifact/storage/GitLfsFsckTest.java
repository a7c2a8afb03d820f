package dev.monkeytown.artifact.storage;

import static dev.monkeytown.artifact.Registry.bytes;
import static dev.monkeytown.artifact.Registry.imageManifest;
import static dev.monkeytown.artifact.Registry.putManifest;
import static dev.monkeytown.artifact.Registry.repository;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import dev.monkeytown.artifact.oci.Digest;

/**
 * The local blob store is a real Git LFS object store: {@code git lfs fsck} (Debian's {@code git-lfs}, which
 * {@code .ci/run} installs) checks every pointer on the state branch against its object and passes; and the same
 * check fails on a copy with one object corrupted, so a passing fsck means something.
 */
@QuarkusTest
class GitLfsFsckTest {

    private static final Path REPOSITORY = Path.of("target/test-state-repo").toAbsolutePath();
    private static final String BRANCH = "monkeytown/state/artifact-service";

    @Test
    void gitLfsFsckPassesOnTheLocalRepositoryAndCatchesACorruptObject() throws Exception {
        String repo = repository("fsck");
        byte[] layer = bytes("a layer git lfs fsck will hash");
        putManifest(repo, "v1", imageManifest(repo, bytes("{\"fsck\":true}"), List.of(layer))).then()
                .statusCode(201);

        Result clean = git(REPOSITORY, "lfs", "fsck", "--objects", BRANCH);
        assertEquals(0, clean.exit(), clean.output());
        assertTrue(clean.output().contains("Git LFS fsck OK"), clean.output());

        Path copy = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "fsck-copy-");
        Result cloned = git(copy, "clone", "-q", "--no-checkout", "--mirror", REPOSITORY.toString(), "mirror.git");
        assertEquals(0, cloned.exit(), cloned.output());
        Path mirror = copy.resolve("mirror.git");
        Path objects = REPOSITORY.resolve(".git/lfs/objects");
        copyTree(objects, mirror.resolve("lfs/objects"));
        Path corrupt = new LocalLfsStore(mirror).objectPath(Digest.of(layer));
        Files.writeString(corrupt, "not what was pushed");
        Result broken = git(mirror, "lfs", "fsck", "--objects", BRANCH);
        assertNotEquals(0, broken.exit(), broken.output());
    }

    private record Result(int exit, String output) {
    }

    private static Result git(Path directory, String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", directory.toString()));
        command.addAll(List.of(arguments));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("git is needed for this test", e);
        }
        String output = new String(process.getInputStream().readAllBytes());
        int exit = process.waitFor();
        if (output.contains("is not a git command")) {
            throw new AssertionError("git-lfs is needed for this test (apt-get install git-lfs; .ci/run does)");
        }
        return new Result(exit, output);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
