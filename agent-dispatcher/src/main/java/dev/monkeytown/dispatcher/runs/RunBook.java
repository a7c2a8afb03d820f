package dev.monkeytown.dispatcher.runs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.monkeytown.dispatcher.queue.RunIds;
import dev.monkeytown.state.Document;
import dev.monkeytown.state.StateBranch;
import dev.monkeytown.state.Workspace;

/**
 * Where runs live on the dispatcher's state branch:
 *
 * <pre>
 * runs/2026/11/28/&lt;run-id&gt;.json   every run, for good (the date is the run id's timestamp, so an id finds its file)
 * live/&lt;run-id&gt;.json              the same record while the run is queued, dispatched or running
 * schedules/&lt;agent&gt;.json          the last cron tick an agent was queued for
 * </pre>
 *
 * The {@code live/} copies exist so a restarted dispatcher reads only the runs it still has to look after, never the
 * whole history; both copies are written in the same commit, so they cannot disagree.
 */
public final class RunBook {

    public static final String LIVE = "live/";
    public static final String HISTORY = "runs/";
    public static final String SCHEDULES = "schedules/";

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

    private final ObjectMapper json;

    public RunBook(ObjectMapper json) {
        this.json = json;
    }

    public static String recordPath(String runId) {
        return HISTORY + DAY.format(RunIds.timestampOf(runId)) + "/" + runId + ".json";
    }

    public static String livePath(String runId) {
        return LIVE + runId + ".json";
    }

    public static String schedulePath(String agent) {
        return SCHEDULES + agent + ".json";
    }

    /** Writes the record, and keeps or drops its {@code live/} copy to match its state. */
    public void stage(Workspace workspace, RunRecord record) {
        byte[] bytes = bytes(record);
        workspace.put(recordPath(record.id()), bytes);
        if (record.run().state().isTerminal()) {
            workspace.delete(livePath(record.id()));
        } else {
            workspace.put(livePath(record.id()), bytes);
        }
    }

    /** The revision of the run's record on the branch as the workspace sees it; 0 if absent (or from before). */
    public long storedRevision(Workspace workspace, String runId) {
        return workspace.read(recordPath(runId)).map(this::parse).map(RunRecord::revision).orElse(0L);
    }

    /** Records the agent's last cron tick; never moves it back (an older dispatcher's tick loses). */
    public void stageTick(Workspace workspace, String agent, Instant tick) {
        Optional<Instant> stored = workspace.read(schedulePath(agent)).map(this::tick);
        if (stored.isEmpty() || stored.get().isBefore(tick)) {
            workspace.put(schedulePath(agent), bytes(Map.of("lastTick", tick.toString())));
        }
    }

    /** What a restarted dispatcher needs, read from the branch at once. */
    public record Restored(List<RunRecord> live, List<RunRecord> recent, Map<String, Instant> lastTicks) {
    }

    /**
     * The live runs, the last cron ticks and the runs of the most recent days (newest day first, until at least
     * {@code enough} runs or {@code maxDays} days), in one listing: the days are chosen from the branch's tree, which
     * costs nothing, and all documents are then loaded in one bulk read — a handful of requests on GitHub, not one per
     * run.
     */
    public Restored restore(StateBranch branch, Instant now, int enough, int maxDays) {
        List<String> folders = new ArrayList<>(List.of(LIVE, SCHEDULES));
        int runs = 0;
        for (int day = 0; day < maxDays && runs < enough; day++) {
            String folder = HISTORY + DAY.format(now.minus(Duration.ofDays(day))) + "/";
            int count = branch.paths(folder).await().indefinitely().size();
            if (count > 0) {
                folders.add(folder);
                runs += count;
            }
        }
        List<RunRecord> live = new ArrayList<>();
        List<RunRecord> recent = new ArrayList<>();
        Map<String, Instant> ticks = new TreeMap<>();
        for (Document document : branch.list(folders).await().indefinitely()) {
            String path = document.path();
            if (path.startsWith(LIVE)) {
                live.add(parse(document));
            } else if (path.startsWith(SCHEDULES)) {
                ticks.put(path.substring(SCHEDULES.length(), path.length() - ".json".length()), tick(document));
            } else {
                recent.add(parse(document));
            }
        }
        return new Restored(live, recent, ticks);
    }

    public List<RunRecord> live(StateBranch branch) {
        return branch.list(LIVE).await().indefinitely().stream().map(this::parse).toList();
    }

    public List<RunRecord> history(StateBranch branch) {
        return branch.list(HISTORY).await().indefinitely().stream().map(this::parse).toList();
    }

    public Optional<RunRecord> find(StateBranch branch, String runId) {
        return branch.read(recordPath(runId)).await().indefinitely().map(this::parse);
    }

    public Optional<Instant> lastTick(StateBranch branch, String agent) {
        return branch.read(schedulePath(agent)).await().indefinitely().map(this::tick);
    }

    private Instant tick(Document document) {
        try {
            return Instant.parse(json.readTree(document.content()).path("lastTick").asText());
        } catch (IOException | DateTimeParseException e) {
            throw new UncheckedIOException("unreadable schedule record " + document.path(),
                    e instanceof IOException io ? io : new IOException(e));
        }
    }

    public RunRecord parse(Document document) {
        try {
            return json.readValue(document.content(), RunRecord.class);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable run record " + document.path(), e);
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
