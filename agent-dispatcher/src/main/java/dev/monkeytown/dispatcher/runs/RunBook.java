package dev.monkeytown.dispatcher.runs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.monkeytown.kit.ids.SortableIds;
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
 * triggers/default-branch.json       the last default-branch head whose changes were turned into on-change runs
 * quarantine/&lt;run-id&gt;.json        a live record a restart could not take back (unreadable, or against the queue's
 *                                    rules), kept aside with the reason instead of being skipped at every restart
 * </pre>
 *
 * The {@code live/} copies exist so a restarted dispatcher reads only the runs it still has to look after, never the
 * whole history; both copies are written in the same commit, so they cannot disagree.
 */
public final class RunBook {

    public static final String LIVE = "live/";
    public static final String HISTORY = "runs/";
    public static final String SCHEDULES = "schedules/";
    public static final String PROCESSED_HEAD = "triggers/default-branch.json";
    public static final String QUARANTINE = "quarantine/";

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

    private final ObjectMapper json;

    public RunBook(ObjectMapper json) {
        this.json = json;
    }

    public static String recordPath(String runId) {
        return HISTORY + DAY.format(SortableIds.timestampOf(runId)) + "/" + runId + ".json";
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

    /** A live record that could not even be read, kept for quarantine. */
    public record Unreadable(String path, byte[] content, String reason) {
    }

    /** What a restarted dispatcher needs, read from the branch at once. */
    public record Restored(List<RunRecord> live, List<Unreadable> unreadable, List<RunRecord> recent,
            Map<String, Instant> lastTicks, Optional<String> processedHead) {
    }

    /**
     * The live runs, the last cron ticks and the runs of the most recent days (newest day first, until at least
     * {@code enough} runs or {@code maxDays} days), in one listing: the days are chosen from the branch's tree, which
     * costs nothing, and all documents are then loaded in one bulk read — a handful of requests on GitHub, not one per
     * run.
     */
    public Restored restore(StateBranch branch, Instant now, int enough, int maxDays) {
        List<String> folders = new ArrayList<>(List.of(LIVE, SCHEDULES, "triggers/"));
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
        List<Unreadable> unreadable = new ArrayList<>();
        List<RunRecord> recent = new ArrayList<>();
        Map<String, Instant> ticks = new TreeMap<>();
        Optional<String> processedHead = Optional.empty();
        for (Document document : branch.list(folders).await().indefinitely()) {
            String path = document.path();
            try {
                if (path.startsWith(LIVE)) {
                    live.add(parse(document));
                } else if (path.startsWith(SCHEDULES)) {
                    ticks.put(path.substring(SCHEDULES.length(), path.length() - ".json".length()), tick(document));
                } else if (path.equals(PROCESSED_HEAD)) {
                    processedHead = Optional.of(json.readTree(document.content()).path("head").asText())
                            .filter(head -> !head.isBlank());
                } else if (path.startsWith(HISTORY)) {
                    recent.add(parse(document));
                }
            } catch (IOException | RuntimeException e) {
                // a live record that cannot be read must not stop every restart: it goes to quarantine; a history
                // record or a tick that cannot be read is only missing from listings or starts its agent's count anew
                if (path.startsWith(LIVE)) {
                    unreadable.add(new Unreadable(path, document.content(), e.getMessage()));
                }
            }
        }
        return new Restored(live, unreadable, recent, ticks, processedHead);
    }

    public List<RunRecord> live(StateBranch branch) {
        return branch.list(LIVE).await().indefinitely().stream().map(this::parse).toList();
    }

    public List<RunRecord> history(StateBranch branch) {
        return branch.list(HISTORY).await().indefinitely().stream().map(this::parse).toList();
    }

    /** Records the default-branch head whose changes are now on-change runs (or needed none). */
    public void stageProcessedHead(Workspace workspace, String head) {
        workspace.put(PROCESSED_HEAD, bytes(Map.of("head", head)));
    }

    /**
     * Moves a live record the queue cannot take back out of {@code live/} into {@code quarantine/}, with why, so a
     * restart stops tripping over it and an operator can see it ({@code GET /api/v1/runs/quarantine}).
     */
    public void stageQuarantine(Workspace workspace, String livePath, byte[] content, String reason, Instant at) {
        String name = livePath.substring(LIVE.length());
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("path", livePath);
        entry.put("reason", reason == null ? "unknown" : reason);
        entry.put("quarantinedAt", at.toString());
        entry.put("content", new String(content, StandardCharsets.UTF_8));
        workspace.put(QUARANTINE + name, bytes(entry));
        workspace.delete(livePath);
    }

    /** The quarantined records, for operators. */
    public List<Document> quarantined(StateBranch branch) {
        return branch.list(QUARANTINE).await().indefinitely();
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

    /** The record as stored (pretty JSON). */
    public byte[] bytesOf(RunRecord record) {
        return bytes(record);
    }

    private byte[] bytes(Object value) {
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
