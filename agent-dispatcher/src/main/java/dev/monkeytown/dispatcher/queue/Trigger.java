package dev.monkeytown.dispatcher.queue;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** Why a run exists. Serialised with a {@code "type"} of {@code manual}, {@code scheduled} or {@code on_change}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Trigger.Manual.class, name = "manual"),
        @JsonSubTypes.Type(value = Trigger.Scheduled.class, name = "scheduled"),
        @JsonSubTypes.Type(value = Trigger.OnChange.class, name = "on_change")
})
public sealed interface Trigger {

    /**
     * Automatic triggers (cron ticks, pushes) say "the agent should look again", so several pending ones for one agent
     * mean the same thing as one; a person asking for a run expects their own run.
     */
    @JsonIgnore
    boolean isAutomatic();

    record Manual(String requester) implements Trigger {
        public Manual {
            requireText(requester, "requester");
        }

        @Override
        public boolean isAutomatic() {
            return false;
        }
    }

    /** {@code tick} is the cron instant that fired, not the time the scheduler noticed it. */
    record Scheduled(Instant tick) implements Trigger {
        public Scheduled {
            Objects.requireNonNull(tick, "tick");
        }

        @Override
        public boolean isAutomatic() {
            return true;
        }
    }

    /** {@code changedPaths} is kept sorted and without duplicates so equal changes compare and serialise equally. */
    record OnChange(String commitSha, List<String> changedPaths) implements Trigger {
        public OnChange {
            requireText(commitSha, "commitSha");
            Objects.requireNonNull(changedPaths, "changedPaths");
            changedPaths = List.copyOf(new TreeSet<>(changedPaths));
        }

        /**
         * A newer change folded into this pending one: the run will check out the newest commit anyway, so it records
         * that sha, and it must consider every path either change touched.
         */
        public OnChange mergedWith(OnChange newer) {
            TreeSet<String> paths = new TreeSet<>(changedPaths);
            paths.addAll(newer.changedPaths);
            return new OnChange(newer.commitSha, List.copyOf(paths));
        }

        @Override
        public boolean isAutomatic() {
            return true;
        }
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
