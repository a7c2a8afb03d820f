package dev.monkeytown.build.engine;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import dev.monkeytown.build.builds.Build;
import dev.monkeytown.build.builds.Streak;
import dev.monkeytown.build.builds.StreakKey;
import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.ChangeRejectedException;

/**
 * Everything one turn of the build loop decided, committed as one change. Nothing a turn promises — an answer, an
 * event, a call to a runner — happens before its commit is durable; if the commit fails, none of it happens and the
 * loop reloads from the branch.
 */
final class Turn {

    /** Something to publish once committed: an event type, its subject and data. */
    record Announcement(String type, String subject, Object data) {
    }

    final Instant now;
    private final Map<String, Build> builds = new LinkedHashMap<>();
    private final Map<String, Long> expectedRevisions = new LinkedHashMap<>();
    private final Map<StreakKey, Streak> streaks = new LinkedHashMap<>();
    private final Map<LocalDate, BuildBook.Daily> daily = new TreeMap<>();
    private final Map<String, BuildBook.BranchHead> heads = new TreeMap<>();
    private final List<Announcement> announcements = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<Runnable> afterCommit = new ArrayList<>();
    private final List<Consumer<Throwable>> onFailure = new ArrayList<>();
    private Actor person;
    private boolean mixedPeople;

    Turn(Instant now) {
        this.now = now;
    }

    /** Stages the build one revision above the one the loop last saw; returns it as it will be stored. */
    Build stage(Build build, String event) {
        long seen = expectedRevisions.computeIfAbsent(build.id(), id -> build.revision());
        Build stamped = build.withRevision(seen + 1);
        builds.put(build.id(), stamped);
        if (event != null) {
            announcements.add(new Announcement(event, build.id(), stamped));
        }
        return stamped;
    }

    void stage(Streak streak) {
        streaks.put(streak.key(), streak);
    }

    void stage(LocalDate day, BuildBook.Daily count) {
        daily.put(day, count);
    }

    void stage(BuildBook.BranchHead head) {
        heads.put(head.branch(), head);
    }

    void announce(String type, String subject, Object data) {
        announcements.add(new Announcement(type, subject, data));
    }

    /** A person's action (an unhold): the commit is authored by them, and its message says what they did and why. */
    void byPerson(String login, String note) {
        Actor actor = Actor.user(login);
        if (person != null && !person.equals(actor)) {
            mixedPeople = true;
        }
        person = actor;
        notes.add(note);
    }

    void afterCommit(Runnable action) {
        afterCommit.add(action);
    }

    void onFailure(Consumer<Throwable> action) {
        onFailure.add(action);
    }

    boolean hasWrites() {
        return !builds.isEmpty() || !streaks.isEmpty() || !daily.isEmpty() || !heads.isEmpty();
    }

    List<Build> builds() {
        return List.copyOf(builds.values());
    }

    /** Every build this turn stages, as it will be stored (with or without an event). */
    java.util.Collection<Build> staged() {
        return builds.values();
    }

    List<Announcement> announcements() {
        return announcements;
    }

    List<Runnable> afterCommitActions() {
        return afterCommit;
    }

    List<Consumer<Throwable>> failureActions() {
        return onFailure;
    }

    /**
     * The change reads what it changes: a build is written only over the revision this loop computed from, so a change
     * re-run on a head another writer moved is refused instead of overwriting.
     */
    Change toChange(BuildBook book, String service) {
        List<Build> toWrite = List.copyOf(builds.values());
        Map<String, Long> expected = Map.copyOf(expectedRevisions);
        List<Streak> streakCopy = List.copyOf(streaks.values());
        Map<LocalDate, BuildBook.Daily> dailyCopy = Map.copyOf(daily);
        List<BuildBook.BranchHead> headsCopy = List.copyOf(heads.values());
        Actor actor = person != null && !mixedPeople ? person : Actor.service(service);
        return new Change(message(), actor, workspace -> {
            for (Build build : toWrite) {
                long stored = book.storedRevision(workspace, build.id());
                if (stored != expected.get(build.id())) {
                    throw new ChangeRejectedException("build " + build.id() + " is at revision " + stored
                            + " on the branch, not " + expected.get(build.id()) + ": another writer changed it");
                }
                book.stage(workspace, build);
            }
            streakCopy.forEach(streak -> book.stage(workspace, streak));
            dailyCopy.forEach((day, count) -> book.stage(workspace, day, count));
            headsCopy.forEach(head -> book.stage(workspace, head));
        });
    }

    /** "build.queued, build.dispatched ×2" plus what people did — the branch's log reads as what happened. */
    private String message() {
        Map<String, Integer> counts = new TreeMap<>();
        announcements.forEach(a -> counts.merge(a.type(), 1, Integer::sum));
        if (counts.isEmpty()) {
            counts.put(builds.isEmpty() && !heads.isEmpty() ? "branch.seen" : "build.updated",
                    Math.max(1, builds.isEmpty() ? heads.size() : builds.size()));
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((event, n) -> parts.add(n == 1 ? event : event + " ×" + n));
        String line = String.join(", ", parts);
        return notes.isEmpty() ? line : String.join("; ", notes) + "\n\n" + line;
    }
}
