package dev.monkeytown.build.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.monkeytown.build.builds.Build;
import dev.monkeytown.build.builds.BuildState;
import dev.monkeytown.build.builds.Streak;
import dev.monkeytown.build.builds.StreakKey;
import dev.monkeytown.kit.ids.SortableIds;
import dev.monkeytown.state.Document;
import dev.monkeytown.state.StateBranch;
import dev.monkeytown.state.Workspace;

/**
 * Where builds live on {@code monkeytown/state/build-service}:
 *
 * <pre>
 * builds/2026/11/27/&lt;build-id&gt;.json   every build, for good (the date is the id's timestamp, so an id finds its file)
 * live/&lt;build-id&gt;.json                 the same record while the build has not ended (all a restart reads)
 * streaks/&lt;pipeline&gt;/&lt;branch&gt;.json     consecutive failures, hold and the recent unholds of a pipeline on a branch
 * daily/2026-11-27.json                 builds dispatched that UTC day, automatic ones apart (the daily maximum)
 * quarantine/&lt;build-id&gt;.json           a live record (or quarantine/streaks/... a streak) a restart could not read,
 *                                       kept aside with the reason instead of stopping every restart
 * </pre>
 *
 * A branch name may hold {@code /} and characters a state path may not: it is written with every byte outside
 * {@code [A-Za-z0-9._-]} as {@code =XX}.
 */
public final class BuildBook {

    private static final Logger LOG = Logger.getLogger(BuildBook.class);

    public static final String LIVE = "live/";
    public static final String HISTORY = "builds/";
    public static final String STREAKS = "streaks/";
    public static final String DAILY = "daily/";
    /** The last head of each watched branch this service has acted on: a push made while it was down is still seen. */
    public static final String HEADS = "heads/";
    public static final String QUARANTINE = "quarantine/";

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

    /** Builds dispatched on one UTC day. */
    public record Daily(int builds, int automatic) {
        public Daily plus(boolean isAutomatic) {
            return new Daily(builds + 1, automatic + (isAutomatic ? 1 : 0));
        }
    }

    private final ObjectMapper json;

    public BuildBook(ObjectMapper json) {
        this.json = json;
    }

    public static String recordPath(String buildId) {
        return HISTORY + DAY.format(SortableIds.timestampOf(buildId)) + "/" + buildId + ".json";
    }

    public static String livePath(String buildId) {
        return LIVE + buildId + ".json";
    }

    public static String streakPath(StreakKey key) {
        return STREAKS + key.pipeline() + "/" + encode(key.branch()) + ".json";
    }

    public static String headPath(String branch) {
        return HEADS + encode(branch) + ".json";
    }

    public static String dailyPath(LocalDate day) {
        return DAILY + day + ".json";
    }

    static String encode(String branch) {
        StringBuilder out = new StringBuilder();
        for (byte b : branch.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || (c == '.' && out.length() > 0)) {
                out.append(c);
            } else {
                out.append('=').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        return out.toString();
    }

    /** Writes the record, and keeps or drops its {@code live/} copy to match its state: both in one commit. */
    public void stage(Workspace workspace, Build build) {
        byte[] bytes = bytes(build);
        workspace.put(recordPath(build.id()), bytes);
        if (build.state().isTerminal()) {
            workspace.delete(livePath(build.id()));
        } else {
            workspace.put(livePath(build.id()), bytes);
        }
    }

    public long storedRevision(Workspace workspace, String buildId) {
        return workspace.read(recordPath(buildId)).map(d -> parse(d, Build.class)).map(Build::revision).orElse(0L);
    }

    public void stage(Workspace workspace, Streak streak) {
        workspace.put(streakPath(streak.key()), bytes(streak));
    }

    public void stage(Workspace workspace, LocalDate day, Daily daily) {
        workspace.put(dailyPath(day), bytes(daily));
    }

    /** The commit a watched branch stood at when this service last acted on it; {@code sha ""}: it did not exist. */
    public record BranchHead(String branch, String sha, Instant seenAt) {
    }

    public void stage(Workspace workspace, BranchHead head) {
        workspace.put(headPath(head.branch()), bytes(head));
    }

    /**
     * What a restarting engine reads: the live builds, every streak, today's count and the watched branches' heads, in
     * one bulk listing.
     */
    public record Restored(List<Build> live, List<Streak> streaks, Daily today, List<BranchHead> heads,
            List<Unreadable> unreadable) {
    }

    /** A live build or a streak that could not be read, kept for quarantine. */
    public record Unreadable(String path, byte[] content, String reason) {
    }

    public Restored restore(StateBranch branch, LocalDate today) {
        List<Build> live = new ArrayList<>();
        List<Streak> streaks = new ArrayList<>();
        List<BranchHead> heads = new ArrayList<>();
        List<Unreadable> unreadable = new ArrayList<>();
        Daily daily = new Daily(0, 0);
        String todayPath = dailyPath(today);
        for (Document document : branch.list(List.of(LIVE, STREAKS, DAILY, HEADS)).await().indefinitely()) {
            try {
                if (document.path().startsWith(LIVE)) {
                    Build build = parse(document, Build.class);
                    checkRestorable(document.path(), build);
                    live.add(build);
                } else if (document.path().startsWith(STREAKS)) {
                    streaks.add(parse(document, Streak.class));
                } else if (document.path().equals(todayPath)) {
                    daily = parse(document, Daily.class);
                } else if (document.path().startsWith(HEADS)) {
                    BranchHead head = parse(document, BranchHead.class);
                    checkHead(document.path(), head);
                    heads.add(head);
                }
            } catch (RuntimeException e) {
                // one record nobody can read must not stop every restart; today's count that cannot be read starts
                // anew (at worst a few more automatic builds today), a head that cannot be read is taken as never
                // seen (its branch's current head becomes the new starting point, unbuilt)
                String reason = String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
                if (document.path().startsWith(DAILY)) {
                    LOG.warnf("Today's build count %s is unreadable (%s): counting anew", document.path(), reason);
                } else if (document.path().startsWith(HEADS)) {
                    LOG.warnf("The branch head %s is unreadable (%s): taken as never seen", document.path(), reason);
                } else {
                    unreadable.add(new Unreadable(document.path(), document.content(), reason));
                }
            }
        }
        return new Restored(live, streaks, daily, heads, unreadable);
    }

    /**
     * What the engine relies on in a live build, checked once as it is read back: a record that parses but breaks one
     * of these (a hand edit) would otherwise fail every turn of the loop.
     */
    static void checkRestorable(String path, Build build) {
        require(path.equals(livePath(build.id())), "its id " + build.id() + " is not its file name");
        recordPath(build.id()); // the id must carry the time its record is filed under
        require(!build.state().isTerminal(), "a " + build.state() + " build under " + LIVE);
        require(!build.state().isActive() || build.currentRunId().isPresent(),
                build.state() + " without an open attempt");
        require(build.state() != BuildState.RETRYING || build.retryAt() != null, "retrying without a retry time");
    }

    /** A head that parses but is not one (a hand edit, another writer's bug) must not reach the loop's map. */
    static void checkHead(String path, BranchHead head) {
        require(head != null && head.branch() != null && head.sha() != null, "a head without its branch or sha");
        require(path.equals(headPath(head.branch())), "its branch " + head.branch() + " is not its file name");
        require(head.sha().isEmpty() || head.sha().matches("[0-9a-f]{40}([0-9a-f]{24})?"),
                "sha " + head.sha() + " is not a commit id");
    }

    private static void require(boolean holds, String problem) {
        if (!holds) {
            throw new IllegalStateException(problem);
        }
    }

    /**
     * Moves a record a restart could not read out of the way into {@code quarantine/}, with why, where an operator
     * finds it on the branch; the original is removed in the same commit.
     */
    public void stageQuarantine(Workspace workspace, Unreadable record, Instant at) {
        String name = record.path().startsWith(LIVE) ? record.path().substring(LIVE.length()) : record.path();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("path", record.path());
        entry.put("reason", record.reason());
        entry.put("quarantinedAt", at.toString());
        entry.put("content", new String(record.content(), StandardCharsets.UTF_8));
        workspace.put(QUARANTINE + name, bytes(entry));
        workspace.delete(record.path());
    }

    public Optional<Build> find(StateBranch branch, String buildId) {
        return branch.read(recordPath(buildId)).await().indefinitely().map(d -> parse(d, Build.class));
    }

    /**
     * Every readable build under {@code folder}. A record that cannot be read (a bad write, a hand edit) is named in
     * the log and skipped: it costs that one build, never the rest of the history. Revert the branch to its last good
     * commit to get it back (docs/operations.md, "Backups and recovery").
     */
    public List<Build> history(StateBranch branch, String folder) {
        List<Build> builds = new ArrayList<>();
        for (Document document : branch.list(folder).await().indefinitely()) {
            try {
                builds.add(parse(document, Build.class));
            } catch (UncheckedIOException e) {
                LOG.errorf("Could not read %s on the state branch; skipped (%s)", document.path(),
                        e.getCause() != null ? e.getCause().getClass().getSimpleName() : e.getMessage());
            }
        }
        return builds;
    }

    public <T> T parse(Document document, Class<T> type) {
        try {
            return json.readValue(document.content(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable record " + document.path(), e);
        }
    }

    private byte[] bytes(Object value) {
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
