package dev.monkeytown.build.engine;

import java.time.LocalDate;
import java.util.Map;

import dev.monkeytown.build.builds.Build;
import dev.monkeytown.build.builds.Streak;
import dev.monkeytown.build.builds.StreakKey;
import dev.monkeytown.build.queue.WaitReason;

/**
 * An immutable picture of the engine after a committed turn: what the API and the metrics read, never the loop's maps.
 * {@code heads}: the commit each watched branch stood at when the engine last acted on it (branch → sha);
 * {@code dailyAutomaticMax}: automatic builds a UTC day, against which {@code today} counts.
 */
public record EngineView(Map<String, Build> live, Map<StreakKey, Streak> streaks, Map<String, WaitReason> waiting,
        LocalDate day, BuildBook.Daily today, Map<String, String> heads, int dailyAutomaticMax) {

    static final EngineView EMPTY = new EngineView(Map.of(), Map.of(), Map.of(), null, new BuildBook.Daily(0, 0),
            Map.of(), Integer.MAX_VALUE);

    /** Whether today's automatic builds reached the daily maximum: further ones wait for the next UTC day. */
    public boolean dailyCapReached() {
        return day != null && today.automatic() >= dailyAutomaticMax;
    }

    public long queued() {
        return live.values().stream().filter(b -> !b.state().isActive()).count();
    }

    public long active() {
        return live.values().stream().filter(b -> b.state().isActive()).count();
    }
}
