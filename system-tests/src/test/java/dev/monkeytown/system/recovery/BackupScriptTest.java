package dev.monkeytown.system.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ops/backup.sh} against real Git repositories laid out as the suite lays them out (state branches, LFS
 * pointers on artifact-service's branch, objects under {@code .git/lfs/objects}): a backup restores to the same refs
 * and objects, and every way a backup can be incomplete or damaged is refused rather than kept as a good one.
 */
class BackupScriptTest {

    private static final Path SCRIPT = Path.of(System.getProperty("monkeytown.root", "..")).toAbsolutePath().normalize()
            .resolve("ops/backup.sh");
    private static final String ARTIFACTS = "monkeytown/state/artifact-service";

    @TempDir
    Path work;
    Path source;
    Path sets;

    record Result(int exit, String output) {
    }

    @BeforeEach
    void aRepositoryWithStateBranchesAndAnLfsObject() throws Exception {
        source = work.resolve("source");
        sets = work.resolve("sets");
        git(work, "init", "-q", "-b", "main", source.toString());
        Files.writeString(source.resolve("README.md"), "monkeytown\n");
        git(source, "add", "README.md");
        git(source, "commit", "-q", "-m", "first");
        commitOnBranch("monkeytown/state/agent-dispatcher", "runs/1.json", "{\"state\":\"succeeded\"}");
        storeBlob("a layer");
    }

    @Test
    void aBackupRestoresEveryBranchAndEveryObject() throws Exception {
        Result created = backup("create", "--repo", source.toString(), "--out", sets.toString());
        assertEquals(0, created.exit(), created.output());
        Path set = onlySet();

        Path restored = work.resolve("restored");
        Result restore = backup("restore", set.toString(), "--into", restored.toString());
        assertEquals(0, restore.exit(), restore.output());
        assertEquals(git(source, "for-each-ref", "--format=%(refname) %(objectname)", "refs/heads").output(),
                git(restored, "for-each-ref", "--format=%(refname) %(objectname)", "refs/heads").output());
        assertEquals(lfsObjects(source.resolve(".git")), lfsObjects(restored.resolve(".git")));
        assertEquals("monkeytown\n", Files.readString(restored.resolve("README.md")), "the default branch is checked out");
        assertEquals(0, git(restored, "lfs", "fsck", "--objects", ARTIFACTS).exit());
    }

    @Test
    void aPointerWhoseObjectIsMissingFailsTheBackupAndLeavesNoSet() throws Exception {
        String oid = storeBlob("a blob whose object will be lost");
        Files.delete(objectPath(source.resolve(".git"), oid));

        Result created = backup("create", "--repo", source.toString(), "--out", sets.toString());
        assertNotEquals(0, created.exit(), created.output());
        assertTrue(created.output().contains(oid), created.output());
        try (Stream<Path> left = Files.list(sets)) {
            assertEquals(List.of(), left.toList(), "neither a set nor a partial one is left");
        }
    }

    @Test
    void anObjectDeletedAfterItsLastPointerWentDoesNotFailTheBackup() throws Exception {
        String oid = storeBlob("collected later");
        deleteOnBranch(ARTIFACTS, "blobs/sha256/" + oid);
        Files.delete(objectPath(source.resolve(".git"), oid));

        Result created = backup("create", "--repo", source.toString(), "--out", sets.toString());
        assertEquals(0, created.exit(), created.output());
    }

    @Test
    void aDamagedSetIsRefusedBeforeAnythingIsWritten() throws Exception {
        assertEquals(0, backup("create", "--repo", source.toString(), "--out", sets.toString()).exit());
        Path set = onlySet();
        try (RandomAccessFile tar = new RandomAccessFile(set.resolve("lfs.tar").toFile(), "rw")) {
            tar.seek(600);
            tar.write('X');
        }
        Result verify = backup("verify", set.toString());
        assertNotEquals(0, verify.exit(), verify.output());
        assertTrue(verify.output().contains("does not match its checksum"), verify.output());

        Path restored = work.resolve("restored");
        assertNotEquals(0, backup("restore", set.toString(), "--into", restored.toString()).exit());
        assertFalse(Files.exists(restored), "nothing was written");
    }

    @Test
    void aRestoreNeverWritesIntoAFolderThatHoldsSomething() throws Exception {
        assertEquals(0, backup("create", "--repo", source.toString(), "--out", sets.toString()).exit());
        Result restore = backup("restore", onlySet().toString(), "--into", source.toString());
        assertNotEquals(0, restore.exit());
        assertTrue(restore.output().contains("is not empty"), restore.output());
    }

    /** A set is trusted only as far as its own checksums go: one someone else made could plant a link. */
    @Test
    void aSetWhoseArchiveHoldsALinkIsRefusedAndNothingIsWritten() throws Exception {
        assertEquals(0, backup("create", "--repo", source.toString(), "--out", sets.toString()).exit());
        Path set = onlySet();
        Path planted = work.resolve("planted/objects");
        Files.createDirectories(planted);
        Files.createSymbolicLink(planted.resolve("e2"), work.resolve("elsewhere"));
        Path tar = set.resolve("lfs.tar");
        assertEquals(0, run(work, Map.of(), List.of("tar", "-C", planted.getParent().toString(), "-cf", tar.toString(),
                "objects")).exit());
        String manifest = Files.readString(set.resolve("MANIFEST"));
        Files.writeString(set.resolve("MANIFEST"),
                manifest.replaceAll("(?m)^lfs\\.tar: .*$", "lfs.tar: " + sha256(Files.readAllBytes(tar))));

        Path restored = work.resolve("restored");
        Result restore = backup("restore", set.toString(), "--into", restored.toString());
        assertNotEquals(0, restore.exit(), restore.output());
        assertTrue(restore.output().contains("refused"), restore.output());
        assertFalse(Files.exists(restored), "nothing was written");
        try (Stream<Path> left = Files.list(work)) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith(".restoring")).toList());
        }
    }

    @Test
    void pruningRemovesOnlyBackupSetsNeverAnythingElseInTheFolder() throws Exception {
        Files.createDirectories(sets.resolve("monkeytown-infra-checkout"));
        Files.writeString(sets.resolve("monkeytown-0ld"), "not a backup");
        assertEquals(0, backup("create", "--repo", source.toString(), "--out", sets.toString(), "--keep", "1").exit());
        Thread.sleep(1100); // sets are named by the second
        assertEquals(0, backup("create", "--repo", source.toString(), "--out", sets.toString(), "--keep", "1").exit());

        assertTrue(Files.isDirectory(sets.resolve("monkeytown-infra-checkout")));
        assertTrue(Files.exists(sets.resolve("monkeytown-0ld")));
        try (Stream<Path> listed = Files.list(sets)) {
            long kept = listed.filter(p -> p.getFileName().toString().matches("monkeytown-\\d{8}T\\d{6}Z")).count();
            assertEquals(1, kept);
        }
    }

    @Test
    void onlyTheNewestSetsAreKept() throws Exception {
        for (int i = 0; i < 3; i++) {
            commitOnBranch("monkeytown/state/agent-dispatcher", "runs/" + (i + 2) + ".json", "{}");
            assertEquals(0, backup("create", "--repo", source.toString(), "--out", sets.toString(), "--keep", "2")
                    .exit());
            Thread.sleep(1100); // sets are named by the second
        }
        List<Path> kept;
        try (Stream<Path> listed = Files.list(sets)) {
            kept = listed.sorted().toList();
        }
        assertEquals(2, kept.size(), kept.toString());
        Path newest = work.resolve("newest");
        assertEquals(0, backup("restore", kept.get(1).toString(), "--into", newest.toString()).exit());
        assertTrue(Files.exists(newest.resolve(".git")));
        assertEquals(0, git(newest, "cat-file", "-e", "monkeytown/state/agent-dispatcher:runs/4.json").exit(),
                "the newest set is the one kept");
    }

    private Path onlySet() throws IOException {
        try (Stream<Path> listed = Files.list(sets)) {
            List<Path> all = listed.filter(p -> p.getFileName().toString().matches("monkeytown-\\d{8}T\\d{6}Z"))
                    .toList();
            assertEquals(1, all.size(), all.toString());
            return all.get(0);
        }
    }

    /** Stores a blob the way artifact-service does: the object first, then its pointer on the branch. */
    private String storeBlob(String content) throws Exception {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        String oid = sha256(bytes);
        Path object = objectPath(source.resolve(".git"), oid);
        Files.createDirectories(object.getParent());
        Files.write(object, bytes);
        commitOnBranch(ARTIFACTS, "blobs/sha256/" + oid,
                "version https://git-lfs.github.com/spec/v1\noid sha256:" + oid + "\nsize " + bytes.length + "\n");
        return oid;
    }

    private static Path objectPath(Path gitDir, String oid) {
        return gitDir.resolve("lfs/objects").resolve(oid.substring(0, 2)).resolve(oid.substring(2, 4)).resolve(oid);
    }

    /** A commit on {@code branch} (created from main when new) that writes one file, made with plumbing only. */
    private void commitOnBranch(String branch, String path, String content) throws Exception {
        Path file = work.resolve("content");
        Files.writeString(file, content);
        String blob = git(source, "hash-object", "-w", file.toString()).output().trim();
        String parent = parentOf(branch);
        Path index = work.resolve("index");
        Map<String, String> env = Map.of("GIT_INDEX_FILE", index.toString());
        git(source, env, "read-tree", parent);
        git(source, env, "update-index", "--add", "--cacheinfo", "100644," + blob + "," + path);
        commit(branch, parent, git(source, env, "write-tree").output().trim());
    }

    private void deleteOnBranch(String branch, String path) throws Exception {
        String parent = parentOf(branch);
        Path index = work.resolve("index");
        Map<String, String> env = Map.of("GIT_INDEX_FILE", index.toString());
        git(source, env, "read-tree", parent);
        git(source, env, "update-index", "--force-remove", path);
        commit(branch, parent, git(source, env, "write-tree").output().trim());
    }

    private String parentOf(String branch) throws Exception {
        Result existing = git(source, "rev-parse", "-q", "--verify", "refs/heads/" + branch);
        return existing.exit() == 0 ? existing.output().trim() : git(source, "rev-parse", "main").output().trim();
    }

    private void commit(String branch, String parent, String tree) throws Exception {
        String commit = git(source, "commit-tree", tree, "-p", parent, "-m", "state").output().trim();
        git(source, "update-ref", "refs/heads/" + branch, commit);
    }

    private static List<String> lfsObjects(Path gitDir) throws IOException {
        try (Stream<Path> walk = Files.walk(gitDir.resolve("lfs/objects"))) {
            return walk.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private Result backup(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(List.of(arguments));
        return run(work, Map.of(), command);
    }

    private static Result git(Path directory, String... arguments) throws Exception {
        return git(directory, Map.of(), arguments);
    }

    private static Result git(Path directory, Map<String, String> env, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", directory.toString()));
        command.addAll(List.of(arguments));
        return run(directory, env, command);
    }

    private static Result run(Path directory, Map<String, String> env, List<String> command) throws Exception {
        Path log = Files.createTempFile("backup-script-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(env);
        builder.environment().put("GIT_AUTHOR_NAME", "test");
        builder.environment().put("GIT_AUTHOR_EMAIL", "test@monkeytown.invalid");
        builder.environment().put("GIT_COMMITTER_NAME", "test");
        builder.environment().put("GIT_COMMITTER_EMAIL", "test@monkeytown.invalid");
        Process process = builder.start();
        boolean ended = process.waitFor(2, TimeUnit.MINUTES);
        if (!ended) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        String output = Files.readString(log);
        Files.delete(log);
        if (!ended) {
            throw new IllegalStateException(command + " did not finish in 2 minutes: " + output);
        }
        return new Result(process.exitValue(), output);
    }
}
