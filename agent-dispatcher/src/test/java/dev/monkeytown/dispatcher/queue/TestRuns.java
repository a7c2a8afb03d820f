package dev.monkeytown.dispatcher.queue;

import java.time.Instant;
import java.util.List;

/** Short ways to build queued runs in tests; times are seconds after a fixed epoch so failures read easily. */
final class TestRuns {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private TestRuns() {
    }

    static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    static AgentRun manual(String id, String agent, long queuedAtSeconds) {
        return AgentRun.queued(id, agent, new Trigger.Manual("alice"), at(queuedAtSeconds));
    }

    static AgentRun scheduled(String id, String agent, long queuedAtSeconds) {
        return AgentRun.queued(id, agent, new Trigger.Scheduled(at(queuedAtSeconds)), at(queuedAtSeconds));
    }

    static AgentRun onChange(String id, String agent, long queuedAtSeconds, String sha, String... paths) {
        return AgentRun.queued(id, agent, new Trigger.OnChange(sha, List.of(paths)), at(queuedAtSeconds));
    }

    static List<String> ids(List<AgentRun> runs) {
        return runs.stream().map(AgentRun::id).toList();
    }
}
