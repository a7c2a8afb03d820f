package dev.monkeytown.artifact.retention;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

import dev.monkeytown.artifact.ArtifactConfig;
import dev.monkeytown.artifact.catalog.ArtifactPaths;
import dev.monkeytown.artifact.catalog.Catalog;
import dev.monkeytown.artifact.catalog.CatalogJson;
import dev.monkeytown.artifact.catalog.CatalogWriter;
import dev.monkeytown.artifact.catalog.DeploymentReferences;
import dev.monkeytown.artifact.catalog.ManifestGuard;
import dev.monkeytown.artifact.catalog.ManifestRecord;
import dev.monkeytown.artifact.catalog.PullLog;
import dev.monkeytown.artifact.catalog.RegistryChanges;
import dev.monkeytown.artifact.catalog.RepositoryEntry;
import dev.monkeytown.artifact.catalog.TagRules;
import dev.monkeytown.artifact.events.ArtifactEvents;
import dev.monkeytown.artifact.oci.Descriptor;
import dev.monkeytown.artifact.oci.Digest;
import dev.monkeytown.artifact.oci.MediaTypes;
import dev.monkeytown.artifact.oci.RepositoryName;
import dev.monkeytown.state.Actor;
import dev.monkeytown.state.StateBranch;

/**
 * Runs retention: reads the facts from the catalog, lets {@link RetentionPlanner} choose, records the report on the
 * branch and, unless it is a dry run, removes each chosen manifest through the same guarded change a person's delete
 * goes through (so a deployment or an immutable tag recorded meanwhile still wins). The freed blobs are left to
 * garbage collection.
 */
@Singleton
public class RetentionRun {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

    private final Catalog catalog;
    private final CatalogWriter writer;
    private final RetentionPolicySource policies;
    private final TagRules tagRules;
    private final PullLog pulls;
    private final ArtifactEvents events;
    private final StateBranch branch;
    private final Clock clock;
    private final boolean dryRunByDefault;
    private final AtomicReference<Optional<RetentionReport>> last = new AtomicReference<>(Optional.empty());

    RetentionRun(Catalog catalog, CatalogWriter writer, RetentionPolicySource policies, TagRules tagRules,
            PullLog pulls, ArtifactEvents events, StateBranch branch, MeterRegistry registry, ArtifactConfig config) {
        this.dryRunByDefault = config.retention().dryRun();
        this.catalog = catalog;
        this.writer = writer;
        this.policies = policies;
        this.tagRules = tagRules;
        this.pulls = pulls;
        this.events = events;
        this.branch = branch;
        this.clock = Clock.systemUTC();
        Gauge.builder("monkeytown.artifacts.retention.candidates", last,
                l -> l.get().map(r -> r.candidates().size()).orElse(0))
                .description("Manifests the last retention run chose to remove (dry run: would remove)")
                .register(registry);
        Gauge.builder("monkeytown.artifacts.retention.reclaimable.bytes", last,
                l -> l.get().map(RetentionReport::reclaimableBytes).orElse(0L))
                .description("Blob bytes the last retention run's removals free").baseUnit("bytes").register(registry);
    }

    @Scheduled(cron = "${monkeytown.artifacts.retention.schedule:0 0 3 * * ?}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!catalog.loaded()) {
            return;
        }
        try {
            run(dryRunByDefault, "schedule");
        } catch (RuntimeException e) {
            Log.warnf("Scheduled retention run failed, the next one will try again: %s", e.toString());
        }
    }

    public synchronized RetentionReport run(boolean dryRun, String triggeredBy) {
        catalog.requireLoaded();
        pulls.flush(); // recent pulls count before anything is judged unused
        Instant started = clock.instant();
        RetentionPolicy policy = policies.current();
        List<ArtifactFacts> facts = facts();
        List<Removal> candidates = RetentionPlanner.plan(facts, policy, deployed(), started);
        List<String> removed = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        if (!dryRun) {
            for (Removal removal : candidates) {
                RepositoryName repository = new RepositoryName(removal.repository());
                Digest digest = Digest.parse(removal.digest()).orElseThrow();
                try {
                    writer.apply("retention: remove " + removal.repository() + "@" + digest + " (" + removal.reason()
                            + ")", Actor.service("artifact-service"),
                            RegistryChanges.deleteManifest(repository,
                                    digest, tagRules, new ManifestGuard()));
                    removed.add(removal.repository() + "@" + removal.digest());
                    events.deleted(repository, digest, Optional.empty(), "retention", "retention");
                } catch (RuntimeException e) {
                    failures.add(removal.repository() + "@" + removal.digest() + ": " + e.getMessage());
                }
            }
        }
        RetentionReport report = new RetentionReport(UUID.randomUUID().toString(), started, clock.instant(), dryRun,
                triggeredBy, policy.source(), candidates, removed, failures, reclaimable(facts, candidates));
        writer.apply("retention " + (dryRun ? "dry run" : "run") + " " + report.id() + ": " + candidates.size()
                + " candidate(s), " + removed.size() + " removed", Actor.service("artifact-service"),
                ws -> ws.put(path(report), CatalogJson.write(report)));
        last.set(Optional.of(report));
        events.retentionRan(report.id(), dryRun, candidates.size(), report.reclaimableBytes(), removed);
        Log.infof("Retention %s %s: %d candidate(s), %d removed, %d refused", dryRun ? "dry run" : "run", report.id(),
                candidates.size(), removed.size(), failures.size());
        return report;
    }

    /** Earlier runs, newest first, read from the branch. */
    public List<RetentionReport> history(int limit) {
        List<String> paths = branch.paths(ArtifactPaths.RETENTION_RUNS).await().atMost(Duration.ofSeconds(60));
        List<RetentionReport> reports = new ArrayList<>();
        for (int i = paths.size() - 1; i >= 0 && reports.size() < limit; i--) {
            branch.read(paths.get(i)).await().atMost(Duration.ofSeconds(60))
                    .ifPresent(d -> reports.add(CatalogJson.read(d.content(), RetentionReport.class)));
        }
        reports.sort((a, b) -> b.startedAt().compareTo(a.startedAt()));
        return reports;
    }

    public Optional<RetentionReport> find(String id) {
        return history(Integer.MAX_VALUE).stream().filter(r -> r.id().equals(id)).findFirst();
    }

    private static String path(RetentionReport report) {
        return ArtifactPaths.RETENTION_RUNS + "/" + DAY.format(report.startedAt()) + "/"
                + report.startedAt().toEpochMilli() + "-" + report.id() + ".json";
    }

    private List<ArtifactFacts> facts() {
        List<ArtifactFacts> facts = new ArrayList<>();
        for (RepositoryEntry repository : catalog.repositories()) {
            for (ManifestRecord m : repository.manifests()) {
                var pulled = repository.pulls(m.digest()).plus(pulls.pending(repository.name(), m.digest()));
                boolean index = MediaTypes.INDEXES.contains(m.mediaType());
                facts.add(new ArtifactFacts(repository.name().value(), m.digest(),
                        new HashSet<>(repository.tagsOf(m.digest())), m.pushedAt(), Optional.ofNullable(pulled.last()),
                        index ? m.references().stream().map(Descriptor::digest).toList() : List.of(),
                        Optional.ofNullable(m.subject()).map(Descriptor::digest), m.size()));
            }
        }
        return facts;
    }

    private Set<String> deployed() {
        Set<String> references = new HashSet<>();
        for (DeploymentReferences deployment : catalog.deployments().values()) {
            references.addAll(deployment.current());
            references.addAll(deployment.lastGood());
        }
        return references;
    }

    /** Bytes of blobs only the removed manifests need, across every repository. */
    private long reclaimable(List<ArtifactFacts> facts, List<Removal> removals) {
        Set<String> removedRefs = new HashSet<>();
        removals.forEach(r -> removedRefs.add(r.repository() + "@" + r.digest()));
        Set<Digest> stillNeeded = new HashSet<>();
        Set<Digest> freed = new HashSet<>();
        for (RepositoryEntry repository : catalog.repositories()) {
            for (ManifestRecord m : repository.manifests()) {
                boolean gone = removedRefs.contains(repository.name() + "@" + m.digest());
                m.references().forEach(d -> (gone ? freed : stillNeeded).add(d.digest()));
            }
        }
        freed.removeAll(stillNeeded);
        Map<Digest, Long> stored = catalog.storedBlobs();
        return freed.stream().mapToLong(d -> stored.getOrDefault(d, 0L)).sum();
    }
}
