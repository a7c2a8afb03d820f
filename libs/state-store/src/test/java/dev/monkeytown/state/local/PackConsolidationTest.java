package dev.monkeytown.state.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.Document;
import dev.monkeytown.state.engine.GroupCommitStateBranch;
import dev.monkeytown.state.engine.StateBranchOptions;

/**
 * Merges packs while two repository objects (as two processes would) write a shared branch and one branch each, and
 * checks that no acknowledged document and no reachable object went missing.
 */
class PackConsolidationTest {

    private static final int MAX_PACKS = 4;
    private static final int CHANGES_PER_BRANCH = 150;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path directory;

    @Test
    void mergingPacksUnderConcurrentWritersLosesNoObject() throws Exception {
        Path repo = directory.resolve("repo");
        Map<String, Map<String, String>> acknowledged = new ConcurrentHashMap<>();
        AtomicLong commits = new AtomicLong();
        int consolidations;
        try (LocalGitRepository first = LocalGitRepository.openOrCreate(repo, false, MAX_PACKS);
                LocalGitRepository second = LocalGitRepository.openOrCreate(repo, false, MAX_PACKS)) {
            List<Thread> writers = new ArrayList<>();
            List<Throwable> failures = new ArrayList<>();
            writers.add(writer(first, "shared", "first", acknowledged, commits, failures));
            writers.add(writer(second, "shared", "second", acknowledged, commits, failures));
            writers.add(writer(first, "first-own", "first", acknowledged, commits, failures));
            writers.add(writer(second, "second-own", "second", acknowledged, commits, failures));
            writers.forEach(Thread::start);
            for (Thread writer : writers) {
                writer.join(TimeUnit.MINUTES.toMillis(5));
            }
            assertTrue(failures.isEmpty(), failures.size() + " changes failed, first: " + failures.stream().findFirst());
            consolidations = first.packs().runs() + second.packs().runs();
        }
        // Closing waited for any consolidation still running.

        assertTrue(consolidations > 0, "packs were merged while writing");
        long packs = packCount(repo);
        assertTrue(packs <= commits.get() / 4, packs + " packs left after " + commits + " commits");

        GitCli.Result fsck = GitCli.run(repo, "fsck", "--strict", "--no-dangling");
        assertEquals(0, fsck.exitCode(), fsck.errors() + fsck.output());
        try (LocalGitRepository reopened = LocalGitRepository.openOrCreate(repo)) {
            for (Map.Entry<String, Map<String, String>> branch : acknowledged.entrySet()) {
                Set<String> onBranch = GitCli.output(repo, "ls-tree", "-r", "--name-only",
                        "monkeytown/state/" + branch.getKey()).lines().collect(Collectors.toSet());
                assertEquals(branch.getValue().keySet(), onBranch, "documents on " + branch.getKey());
                try (GroupCommitStateBranch state = new GroupCommitStateBranch(branch.getKey(),
                        reopened.branch(branch.getKey()), StateBranchOptions.defaults())) {
                    Map<String, String> read = new HashMap<>();
                    for (Document document : state.list("").await().atMost(TIMEOUT)) {
                        read.put(document.path(), document.text());
                    }
                    assertEquals(branch.getValue(), read, "contents of " + branch.getKey());
                }
            }
        }
        String last = "docs/first/" + (CHANGES_PER_BRANCH - 1) + ".json";
        assertEquals(acknowledged.get("shared").get(last), GitCli.output(repo, "show", "monkeytown/state/shared:" + last));
    }

    @Test
    void aReaderWhosePackListIsStaleFindsObjectsMovedIntoAMergedPack() throws Exception {
        Path repo = directory.resolve("repo");
        try (LocalGitRepository writer = LocalGitRepository.openOrCreate(repo, false, Integer.MAX_VALUE);
                LocalGitRepository reader = LocalGitRepository.openOrCreate(repo, false, Integer.MAX_VALUE)) {
            LocalBranchBackend writing = writer.branch("merged");
            LocalBranchBackend reading = reader.branch("merged");
            List<String> commits = new ArrayList<>();
            Optional<String> head = Optional.empty();
            for (int i = 0; i < 6; i++) {
                head = Optional.of(writing.commit(head, Map.of("docs/" + i + ".json", json(i)), Set.of(),
                        LocalBranchHistoryTest.metadata("write " + i, "b" + i)));
                commits.add(head.orElseThrow());
            }
            // JGit rescans the pack folder on a miss only if the folder's stat changed. Where stat cannot be trusted
            // (NFS attribute caches, coarse timestamps) it keeps the list it read: a pinned folder time plays that.
            Path packFolder = repo.resolve(".git/objects/pack");
            FileTime pinned = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
            Files.setLastModifiedTime(packFolder, pinned);
            // The reader lists the six packs and opens only the newest, like a replica that was up to date.
            assertEquals(head, reading.readHead());
            Map<String, String> tree = reading.readTree(head.orElseThrow());
            assertArrayEquals(json(5), reading.readBlob(tree.get("docs/5.json")));

            writer.packs().consolidate();
            assertEquals(1, writer.packs().runs(), "the six packs were merged into one");
            Files.setLastModifiedTime(packFolder, pinned);

            for (int i = 0; i < 6; i++) {
                assertArrayEquals(json(i), reading.readBlob(tree.get("docs/" + i + ".json")), "document " + i);
            }
            assertEquals(Set.of("docs/0.json"), reading.readTree(commits.get(0)).keySet());
            assertEquals(6, reading.history(head.orElseThrow(), Optional.empty(), 10).commits().size());
        }
    }

    private static byte[] json(int n) {
        return ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** Writes {@link #CHANGES_PER_BRANCH} documents, 16 in flight, recording each one acknowledged. */
    private static Thread writer(LocalGitRepository repository, String service, String writer,
            Map<String, Map<String, String>> acknowledged, AtomicLong commits, List<Throwable> failures) {
        Map<String, String> documents = acknowledged.computeIfAbsent(service, s -> new ConcurrentHashMap<>());
        return new Thread(() -> {
            try (GroupCommitStateBranch branch = new GroupCommitStateBranch(service, repository.branch(service),
                    StateBranchOptions.defaults())) {
                Semaphore slots = new Semaphore(16);
                CountDownLatch done = new CountDownLatch(CHANGES_PER_BRANCH);
                for (int i = 0; i < CHANGES_PER_BRANCH; i++) {
                    String path = "docs/" + writer + "/" + i + ".json";
                    String json = "{\"writer\":\"" + writer + "\",\"n\":" + i + "}";
                    slots.acquire();
                    branch.apply(new Change("write " + path, Actor.service(writer), ws -> ws.put(path, json)))
                            .subscribe().with(receipt -> {
                                documents.put(path, json);
                                slots.release();
                                done.countDown();
                            }, failure -> {
                                synchronized (failures) {
                                    failures.add(failure);
                                }
                                slots.release();
                                done.countDown();
                            });
                }
                if (!done.await(4, TimeUnit.MINUTES)) {
                    throw new AssertionError(service + " by " + writer + " did not finish");
                }
                commits.addAndGet(branch.stats().commits());
            } catch (Exception | AssertionError e) {
                synchronized (failures) {
                    failures.add(e);
                }
            }
        }, "writer-" + writer + "-" + service);
    }

    private static long packCount(Path repo) throws Exception {
        try (Stream<Path> files = Files.list(repo.resolve(".git/objects/pack"))) {
            return files.filter(file -> file.getFileName().toString().endsWith(".idx")).count();
        }
    }
}
