package dev.monkeytown.artifact.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.monkeytown.artifact.oci.Digest;
import dev.monkeytown.artifact.oci.RepositoryName;
import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.engine.GroupCommitStateBranch;
import dev.monkeytown.state.engine.StateBranchOptions;
import dev.monkeytown.state.memory.InMemoryRepository;

/**
 * One record on the state branch that does not parse (a hand edit, a bad write) must not keep the registry from
 * starting: it is skipped and named in the log, and every other record is served. The changes that need it refuse
 * rather than guess, and pull counts that cannot be read count anew instead of failing every flush.
 */
class UnreadableRecordsTest {

    private static final RepositoryName GOOD = new RepositoryName("builds/good");
    private static final RepositoryName BAD = new RepositoryName("builds/bad");
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
    private static final Actor ALICE = Actor.user("alice");
    private static final byte[] GARBAGE = "{\"digest\": ".getBytes(StandardCharsets.UTF_8);

    private final GroupCommitStateBranch branch = new GroupCommitStateBranch("artifact-service",
            new InMemoryRepository().branch("artifact-service"), StateBranchOptions.defaults());
    private final Catalog catalog = new Catalog(branch);
    private final CatalogWriter writer = new CatalogWriter(branch, catalog);
    private final List<LogRecord> logged = new ArrayList<>();
    private final Logger catalogLog = Logger.getLogger(Catalog.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (logged) {
                logged.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @AfterEach
    void close() {
        catalogLog.removeHandler(capture);
        branch.close();
    }

    @Test
    void aCorruptRecordIsSkippedAndNamedAndTheRestIsServed() {
        catalog.load(Duration.ofSeconds(10));
        Digest layer = Digest.of("layer".getBytes(StandardCharsets.UTF_8));
        Digest manifest = Digest.of("manifest".getBytes(StandardCharsets.UTF_8));
        writer.apply("push", ALICE, RegistryChanges.linkBlob(GOOD, layer, 5, NOW, "alice"));
        writer.apply("tag", ALICE, ws -> ws.putJson(ArtifactPaths.tag(GOOD, "main"), new TagRecord(manifest, NOW,
                "alice")));
        String badManifest = ArtifactPaths.manifest(BAD, manifest);
        String badDeployment = ArtifactPaths.deployment("prod");
        String badPulls = ArtifactPaths.pulls(BAD);
        String badPointer = ArtifactPaths.pointer(Digest.of("other".getBytes(StandardCharsets.UTF_8)));
        branch.apply(new Change("a bad hand edit", ALICE, ws -> {
            ws.put(badManifest, GARBAGE);
            ws.put(badDeployment, GARBAGE);
            ws.put(badPulls, "[1, 2".getBytes(StandardCharsets.UTF_8));
            ws.put(badPointer, "not a pointer".getBytes(StandardCharsets.UTF_8));
        })).await().atMost(Duration.ofSeconds(10));
        catalogLog.addHandler(capture);

        catalog.load(Duration.ofSeconds(10)); // what a restart does

        assertTrue(catalog.loaded(), "the registry is served");
        assertEquals(Optional.of(5L), catalog.storedSize(layer), "the good repository's records are all there");
        assertTrue(catalog.repository(GOOD).orElseThrow().tag("main").isPresent());
        assertEquals(List.of(badDeployment, badPointer, badManifest, badPulls).stream().sorted().toList(),
                catalog.unreadable().keySet().stream().sorted().toList());
        for (String path : catalog.unreadable().keySet()) {
            assertTrue(logged.stream().anyMatch(r -> r.getLevel().intValue() >= java.util.logging.Level.SEVERE
                    .intValue() && String.valueOf(r.getMessage()).contains(path)
                    || formatted(r).contains(path)), "the log names " + path);
        }

        // a change that needs the unreadable deployment refuses rather than guessing it protects nothing
        writer.apply("manifest", ALICE, ws -> ws.putJson(ArtifactPaths.manifest(GOOD, manifest),
                new ManifestRecord(manifest, "application/vnd.oci.image.manifest.v1+json", null, 8, List.of(), null,
                        Map.of(), NOW, "alice")));
        RuntimeException refused = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> writer.apply("delete", ALICE, RegistryChanges.deleteManifest(GOOD, manifest,
                        (repository, tag) -> Optional.empty(), new ManifestGuard())));
        boolean named = false;
        for (Throwable t = refused; t != null; t = t.getCause()) {
            named |= String.valueOf(t.getMessage()).contains("unreadable");
        }
        assertTrue(named, refused.toString());
        assertTrue(catalog.repository(GOOD).orElseThrow().manifest(manifest).isPresent());
    }

    @Test
    void unreadablePullCountsCountAnewInsteadOfFailingEveryFlush() {
        catalog.load(Duration.ofSeconds(10));
        Digest manifest = Digest.of("pulled".getBytes(StandardCharsets.UTF_8));
        writer.apply("tag", ALICE, ws -> ws.putJson(ArtifactPaths.tag(BAD, "t"), new TagRecord(manifest, NOW,
                "alice")));
        branch.apply(new Change("a bad write", ALICE, ws -> ws.put(ArtifactPaths.pulls(BAD),
                "[1, 2".getBytes(StandardCharsets.UTF_8)))).await().atMost(Duration.ofSeconds(10));
        catalog.load(Duration.ofSeconds(10));
        PullLog pulls = new PullLog(writer, new SimpleMeterRegistry());

        pulls.pulled(BAD, manifest);
        pulls.pulled(GOOD, manifest);
        pulls.flush();

        assertEquals(1, catalog.repository(BAD).orElseThrow().pulls(manifest).count());
        assertEquals(1, catalog.repository(GOOD).orElseThrow().pulls(manifest).count());
        assertFalse(catalog.unreadable().containsKey(ArtifactPaths.pulls(BAD)), "rewritten readable");
    }

    private static String formatted(LogRecord record) {
        Object[] parameters = record.getParameters();
        String message = String.valueOf(record.getMessage());
        return parameters == null ? message : message + " " + java.util.Arrays.toString(parameters);
    }
}
