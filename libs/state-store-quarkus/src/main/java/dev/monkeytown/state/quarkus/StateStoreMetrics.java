package dev.monkeytown.state.quarkus;

import java.util.function.ToDoubleFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

import dev.monkeytown.state.engine.BranchAlarm;
import dev.monkeytown.state.engine.GroupCommitStateBranch;
import dev.monkeytown.state.engine.StateBranchStats;
import dev.monkeytown.state.fence.WriterFence;

/** Publishes the state branch's counters: commits, changes by outcome, conflicts, batch sizes. */
@ApplicationScoped
public class StateStoreMetrics {

    void register(@Observes StartupEvent event, MeterRegistry registry, GroupCommitStateBranch branch,
            WriterFence fence) {
        counter(registry, branch, "monkeytown.state.commits", "State commits written", s -> s.commits());
        change(registry, branch, "committed", s -> s.changesCommitted());
        change(registry, branch, "unchanged", s -> s.changesUnchanged());
        change(registry, branch, "rejected", s -> s.changesRejected());
        change(registry, branch, "failed", s -> s.changesFailed());
        counter(registry, branch, "monkeytown.state.conflicts",
                "Lost compare-and-swaps; each re-applied its batch on the new head", s -> s.conflicts());
        counter(registry, branch, "monkeytown.state.backend.retries",
                "Attempts repeated because the store was unavailable", s -> s.unavailableRetries());
        counter(registry, branch, "monkeytown.state.commits.ambiguous",
                "Commits whose answer was lost, settled by their batch id", s -> s.ambiguousCommits());
        for (BranchAlarm.Kind kind : BranchAlarm.Kind.values()) {
            Gauge.builder("monkeytown.state.alarm", branch,
                    b -> b.health().alarm().filter(alarm -> alarm.kind() == kind).isPresent() ? 1 : 0)
                    .description("1 while the backend shows a loss of data: the branch vanished, went backwards or "
                            + "was rewritten (the spec's 'data loss detected')")
                    .tag("kind", kind.name().toLowerCase())
                    .register(registry);
        }
        Gauge.builder("monkeytown.state.writer.stepped.down", fence, f -> f.steppedDown().isPresent() ? 1 : 0)
                .description("1 once another instance took over as the branch's writer and this one stopped writing")
                .register(registry);
        Gauge.builder("monkeytown.state.changes.pending", branch, b -> b.health().pendingChanges())
                .description("Changes waiting for a commit").register(registry);
        Gauge.builder("monkeytown.state.documents", branch, b -> b.health().documents())
                .description("Documents on the branch as this replica sees it").register(registry);
        Gauge.builder("monkeytown.state.cache.bytes", branch, b -> b.health().cachedBytes())
                .description("Bytes of documents held in memory (bounded by monkeytown.state.cache-size)")
                .baseUnit("bytes").register(registry);
        Gauge.builder("monkeytown.state.batch.mean", branch, b -> b.stats().meanBatchSize())
                .description("Mean changes per commit since start (group commit effectiveness)")
                .register(registry);
        Gauge.builder("monkeytown.state.batch.largest", branch, b -> b.stats().largestBatch())
                .description("Most changes in one commit since start")
                .register(registry);
    }

    private static void change(MeterRegistry registry, GroupCommitStateBranch branch, String outcome,
            ToDoubleFunction<StateBranchStats> value) {
        FunctionCounter.builder("monkeytown.state.changes", branch, b -> value.applyAsDouble(b.stats()))
                .description("Changes applied to the state branch, by outcome")
                .tag("outcome", outcome)
                .register(registry);
    }

    private static void counter(MeterRegistry registry, GroupCommitStateBranch branch, String name, String description,
            ToDoubleFunction<StateBranchStats> value) {
        FunctionCounter.builder(name, branch, b -> value.applyAsDouble(b.stats()))
                .description(description)
                .register(registry);
    }
}
