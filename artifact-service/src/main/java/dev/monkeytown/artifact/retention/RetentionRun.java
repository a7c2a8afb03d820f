package dev.monkeytown.artifact.retention;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
import dev.monkeytown.artifact.catalog.CatalogRefusal;
import dev.monkeytown.artifact.catalog.CatalogRefusal.Reason;
import dev.monkeytown.artifact.catalog.CatalogWriter;
import dev.monkeytown.artifact.catalog.DeploymentReferences;
import dev.monkeytown.artifact.catalog.ManifestGuard;
import dev.monkeytown.artifact.catalog.ManifestRecord;
import dev.monkeytown.artifact.catalog.PullLog;
import dev.monkeytown.artifact.catalog.PullRecord;
import dev.monkeytown.artifact.catalog.RecordingWorkspace;
import dev.monkeytown.artifact.catalog.RegistryChanges;
import dev.monkeytown.artifact.catalog.RepositoryEntry;
import dev.monkeytown.artifact.catalog.TagRecord;
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
        return apply(plan(), dryRun, triggeredBy);
    }

    /**
     * What the rules choose now: the candidates and the facts each was judged on. Taken from the catalog (recent
     * pulls flushed first, so they count before anything is judged unused).
     */
    public synchronized Plan plan() {
        catalog.requireLoaded();
        pulls.flush();
        Instant started = clock.instant();
        RetentionPolicy policy = policies.current();
        List<ArtifactFacts> facts = facts();
        return new Plan(started, policy, facts, RetentionPlanner.plan(facts, policy, deployed(), started));
    }

    /** Records {@code plan}'s report and, unless {@code dryRun}, removes its candidates. */
    public synchronized RetentionReport apply(Plan plan, boolean dryRun, String triggeredBy) {
        catalog.requireLoaded();
        List<Removal> candidates = plan.candidates();
        // judged before anything goes: what the candidates' removal frees
        Map<String, Long> reclaimable = reclaimable(candidates);
        List<String> removed = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        if (!dryRun) {
            Map<String, ArtifactFacts> judged = new HashMap<>();
            plan.facts().forEach(f -> judged.put(f.reference(), f));
            Set<String> planned = new HashSet<>();
            candidates.forEach(c -> planned.add(c.repository() + "@" + c.digest()));
            for (Removal removal : causesFirst(candidates, judged)) {
                RepositoryName repository = new RepositoryName(removal.repository());
                Digest digest = Digest.parse(removal.digest()).orElseThrow();
                String reference = removal.repository() + "@" + removal.digest();
                ArtifactFacts facts = judged.get(reference);
                try {
                    PullRecord pending = pulls.pending(repository, digest);
                    if (pending.last() != null && pending.last().isAfter(plan.at())) {
                        throw new CatalogRefusal(Reason.CHANGED, "it was pulled since the retention plan; the next"
                                + " run judges it again");
                    }
                    writer.apply("retention: remove " + reference + " (" + removal.reason() + ")",
                            Actor.service("artifact-service"), ws -> {
                                unchangedSince(ws, repository, facts, planned).ifPresent(why -> {
                                    throw new CatalogRefusal(Reason.CHANGED, why + "; the next run judges it again");
                                });
                                RegistryChanges.deleteManifest(repository, digest, tagRules, new ManifestGuard())
                                        .accept(ws);
                            });
                    removed.add(reference);
                    events.deleted(repository, digest, Optional.empty(), "retention", "retention");
                } catch (RuntimeException e) {
                    failures.add(reference + ": " + e.getMessage());
                }
            }
        }
        RetentionReport report = new RetentionReport(UUID.randomUUID().toString(), plan.at(), clock.instant(), dryRun,
                triggeredBy, plan.policy().source(), candidates, removed, failures,
                reclaimable.values().stream().mapToLong(Long::longValue).sum(), reclaimable);
        writer.apply("retention " + (dryRun ? "dry run" : "run") + " " + report.id() + ": " + candidates.size()
                + " candidate(s), " + removed.size() + " removed", Actor.service("artifact-service"),
                ws -> ws.put(path(report), CatalogJson.write(report)));
        last.set(Optional.of(report));
        events.retentionRan(report.id(), dryRun, candidates.size(), report.reclaimableBytes(), removed);
        Log.infof("Retention %s %s: %d candidate(s), %d removed, %d refused", dryRun ? "dry run" : "run", report.id(),
                candidates.size(), removed.size(), failures.size());
        return report;
    }

    /**
     * A retention plan: when it was made, under which policy, the facts it judged and what it chose to remove.
     * Applying it later than it was made is what a real run does (one removal after another, each a commit).
     */
    public record Plan(Instant at, RetentionPolicy policy, List<ArtifactFacts> facts, List<Removal> candidates) {

        public Plan {
            facts = List.copyOf(facts);
            candidates = List.copyOf(candidates);
        }
    }

    /**
     * Why a planned removal no longer holds, judged inside the deleting commit against the branch as it is (so a push
     * committed a moment earlier, even in the same batch, counts): the manifest was pushed again, tagged or untagged,
     * or pulled since the facts the plan judged; or it was to go with its subject, which stays. Deployments, immutable
     * tags and including indexes are the delete's own guards.
     */
    static Optional<String> unchangedSince(RecordingWorkspace ws, RepositoryName repository, ArtifactFacts planned,
            Set<String> plannedRemovals) {
        Optional<ManifestRecord> now = ws.readJson(ArtifactPaths.manifest(repository, planned.digest()),
                ManifestRecord.class);
        if (now.isEmpty()) {
            return Optional.empty(); // gone already: the delete says so
        }
        if (!now.get().pushedAt().equals(planned.pushedAt())) {
            return Optional.of("it was pushed again since the retention plan (at " + now.get().pushedAt() + ")");
        }
        Set<String> tags = new TreeSet<>();
        String tagFolder = ArtifactPaths.REPOSITORIES + "/" + repository + "/_tags/";
        for (String path : ws.list(tagFolder)) {
            ws.readJson(path, TagRecord.class).filter(t -> t.digest().equals(planned.digest()))
                    .ifPresent(t -> tags.add(path.substring(tagFolder.length(), path.length() - ".json".length())));
        }
        if (!tags.equals(new TreeSet<>(planned.tags()))) {
            return Optional.of("its tags changed since the retention plan (" + new TreeSet<>(planned.tags()) + " then, "
                    + tags + " now)");
        }
        Instant lastPulled = ws.read(ArtifactPaths.pulls(repository))
                .map(d -> CatalogJson.readPulls(d.content()).get(planned.digest().toString()))
                .map(PullRecord::last).orElse(null);
        if (lastPulled != null && planned.lastPulled().map(lastPulled::isAfter).orElse(true)) {
            return Optional.of("it was pulled since the retention plan (at " + lastPulled + ")");
        }
        if (planned.subject().isPresent()
                && plannedRemovals.contains(repository + "@" + planned.subject().get())
                && ws.read(ArtifactPaths.manifest(repository, planned.subject().get())).isPresent()) {
            return Optional.of("it was to go with its subject " + planned.subject().get() + ", which stays");
        }
        return Optional.empty();
    }

    /**
     * The removals in an order where what a removal follows from comes first: an index before the manifests it
     * includes, a subject before its referrers. Then a removal that was refused (changed, protected) keeps what hangs
     * from it: an index that stays still includes its children (the delete's guard), a subject that stays keeps its
     * referrers ({@link #unchangedSince}).
     */
    static List<Removal> causesFirst(List<Removal> removals, Map<String, ArtifactFacts> facts) {
        Map<String, Removal> byReference = new java.util.LinkedHashMap<>();
        removals.forEach(r -> byReference.put(r.repository() + "@" + r.digest(), r));
        Map<String, Set<String>> causes = new HashMap<>();
        for (Removal removal : removals) {
            String reference = removal.repository() + "@" + removal.digest();
            ArtifactFacts self = facts.get(reference);
            Set<String> before = new HashSet<>();
            if (self != null) {
                self.subject().map(s -> removal.repository() + "@" + s).filter(byReference::containsKey)
                        .ifPresent(before::add);
            }
            for (ArtifactFacts other : facts.values()) {
                String parent = other.reference();
                if (other.repository().equals(removal.repository()) && byReference.containsKey(parent)
                        && other.children().stream().anyMatch(c -> c.toString().equals(removal.digest()))) {
                    before.add(parent);
                }
            }
            before.remove(reference);
            causes.put(reference, before);
        }
        List<Removal> ordered = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        boolean progress = true;
        while (ordered.size() < removals.size() && progress) {
            progress = false;
            for (Map.Entry<String, Removal> entry : byReference.entrySet()) {
                if (!placed.contains(entry.getKey()) && placed.containsAll(causes.get(entry.getKey()))) {
                    ordered.add(entry.getValue());
                    placed.add(entry.getKey());
                    progress = true;
                }
            }
        }
        byReference.forEach((reference, removal) -> {
            if (!placed.contains(reference)) {
                ordered.add(removal); // a cycle content addressing cannot make; kept last rather than lost
            }
        });
        return ordered;
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

    /**
     * Bytes of blobs only the removed manifests need, across every repository, by repository: each freed blob once,
     * in the first repository (by name) whose removed manifests use it.
     */
    private Map<String, Long> reclaimable(List<Removal> removals) {
        Set<String> removedRefs = new HashSet<>();
        removals.forEach(r -> removedRefs.add(r.repository() + "@" + r.digest()));
        Set<Digest> stillNeeded = new HashSet<>();
        Map<Digest, String> freedIn = new HashMap<>();
        for (RepositoryEntry repository : catalog.repositories()) { // in name order
            for (ManifestRecord m : repository.manifests()) {
                boolean gone = removedRefs.contains(repository.name() + "@" + m.digest());
                m.references().forEach(d -> {
                    if (gone) {
                        freedIn.putIfAbsent(d.digest(), repository.name().value());
                    } else {
                        stillNeeded.add(d.digest());
                    }
                });
            }
        }
        Map<Digest, Long> stored = catalog.storedBlobs();
        Map<String, Long> bytes = new java.util.TreeMap<>();
        freedIn.forEach((digest, repository) -> {
            if (!stillNeeded.contains(digest)) {
                bytes.merge(repository, stored.getOrDefault(digest, 0L), Long::sum);
            }
        });
        return bytes;
    }
}
