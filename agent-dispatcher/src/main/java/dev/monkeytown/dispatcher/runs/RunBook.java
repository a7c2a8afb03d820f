package dev.monkeytown.dispatcher.runs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    public void stageTick(Workspace workspace, String agent, Instant tick) {
        workspace.put(schedulePath(agent), bytes(Map.of("lastTick", tick.toString())));
    }

    public List<RunRecord> live(StateBranch branch) {
        return branch.list(LIVE).await().indefinitely().stream().map(this::parse).toList();
    }

    public List<RunRecord> history(StateBranch branch) {
        return branch.list(HISTORY).await().indefinitely().stream().map(this::parse).toList();
    }

    /**
     * The runs of the most recent days, newest day first, until at least {@code enough} were read or
     * {@code maxDays} days were looked at. Reads day folders rather than the whole history: on GitHub every record
     * not yet in the view costs a request, and a restart must not spend thousands of them on old runs.
     */
    public List<RunRecord> recent(StateBranch branch, Instant now, int enough, int maxDays) {
        List<RunRecord> records = new java.util.ArrayList<>();
        for (int day = 0; day < maxDays && records.size() < enough; day++) {
            String folder = HISTORY + DAY.format(now.minus(java.time.Duration.ofDays(day))) + "/";
            branch.list(folder).await().indefinitely().forEach(document -> records.add(parse(document)));
        }
        return records;
    }

    public Optional<RunRecord> find(StateBranch branch, String runId) {
        return branch.read(recordPath(runId)).await().indefinitely().map(this::parse);
    }

    public Optional<Instant> lastTick(StateBranch branch, String agent) {
        return branch.read(schedulePath(agent)).await().indefinitely().map(document -> {
            try {
                return Instant.parse(json.readTree(document.content()).path("lastTick").asText());
            } catch (IOException e) {
                throw new UncheckedIOException("unreadable schedule record " + document.path(), e);
            }
        });
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
