package dev.monkeytown.state.github.bench;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Documents laid out as agent-dispatcher keeps them on its branch (its {@code RunBook}): every run at
 * {@code runs/<yyyy>/<mm>/<dd>/<run-id>.json}, the runs still in flight copied under {@code live/}, one
 * {@code schedules/<agent>.json} per agent, {@code triggers/default-branch.json} and the writer fence. Runs are spread
 * at the spec's capacity day, 40 a day, counting back from {@link #TODAY}; the newest {@link #LIVE} are in flight. The
 * records have the shape and size of the dispatcher's (pretty-printed JSON of a finished GitHub Actions run, about
 * 700 bytes), so the numbers here are those of the real branch without depending on the dispatcher's code.
 */
final class DispatcherLayout {

    static final LocalDate TODAY = LocalDate.of(2026, 12, 6);
    static final int RUNS_PER_DAY = 40;
    static final int LIVE = 50;
    static final int AGENTS = 10;
    /** Documents that are not runs: the schedules, the processed head and the fence. */
    static final int FIXED = AGENTS + 2;

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd");
    private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private DispatcherLayout() {
    }

    /**
     * A branch of exactly {@code documents} documents: {@code documents - LIVE - FIXED} runs, the newest {@link #LIVE}
     * of them in flight (so also under {@code live/}).
     */
    static Map<String, String> branch(int documents) {
        int runs = documents - LIVE - FIXED;
        if (runs < LIVE) {
            throw new IllegalArgumentException("too few documents for the layout: " + documents);
        }
        return branchWithRuns(runs);
    }

    /** {@code runs} run records (the newest {@link #LIVE} also under {@code live/}), the schedules, head and fence. */
    static Map<String, String> branchWithRuns(int runs) {
        Map<String, String> documents = new LinkedHashMap<>();
        for (int n = runs - 1; n >= 0; n--) {
            boolean live = n < LIVE;
            String id = runId(n);
            String record = record(id, n, live);
            documents.put(runPath(n), record);
            if (live) {
                documents.put(livePath(id), record);
            }
        }
        for (int agent = 0; agent < AGENTS; agent++) {
            // each agent's last cron tick differs, so each is its own blob
            documents.put("schedules/agent-" + agent + ".json", "{\n  \"lastTick\" : \""
                    + TODAY.atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(60L * agent) + "\"\n}");
        }
        documents.put("triggers/default-branch.json",
                "{\n  \"head\" : \"" + "0123456789abcdef0123456789abcdef01234567" + "\"\n}");
        documents.put("fence/writer.json", "{\n  \"instance\" : \"agent-dispatcher-7d9f-bench\",\n  \"since\" : \""
                + TODAY.atStartOfDay(ZoneOffset.UTC).toInstant() + "\"\n}");
        return documents;
    }

    /** The n-th run counting back from the newest (n = 0): {@link #RUNS_PER_DAY} a day. */
    static String runPath(int n) {
        return "runs/" + DAY.format(dayOf(n)) + "/" + runId(n) + ".json";
    }

    static String livePath(String runId) {
        return "live/" + runId + ".json";
    }

    static LocalDate dayOf(int n) {
        return TODAY.minusDays(n / RUNS_PER_DAY);
    }

    /**
     * The folders agent-dispatcher's restart reads ({@code RunBook.restore} with the dispatcher's 1,000 runs and
     * 31 days): {@code live/}, {@code schedules/}, {@code triggers/}, then day folders newest first until at least
     * {@code enough} runs or {@code maxDays} days. {@code runsIn} counts the documents of a folder, as the paths of
     * the branch's tree do (free to ask: no document is read).
     */
    static List<String> restartFolders(Function<String, Integer> runsIn, int enough, int maxDays) {
        List<String> folders = new ArrayList<>(List.of("live/", "schedules/", "triggers/"));
        int runs = 0;
        for (int day = 0; day < maxDays && runs < enough; day++) {
            String folder = "runs/" + DAY.format(TODAY.minusDays(day)) + "/";
            int count = runsIn.apply(folder);
            if (count > 0) {
                folders.add(folder);
                runs += count;
            }
        }
        return folders;
    }

    /** A new run's id, beyond every seeded one ({@code sequence} >= 0): sorts after them, as run ids do. */
    static String newRunId(int sequence) {
        return ulid(TODAY.atTime(12, 0).toInstant(ZoneOffset.UTC).toEpochMilli() + 1000L + sequence, sequence);
    }

    /** A new run's record, in flight. */
    static String newRecord(String id, int sequence) {
        return record(id, sequence, true);
    }

    /** The n-th run's id: time-ordered like the dispatcher's (ULID layout, 26 characters). */
    static String runId(int n) {
        return ulid(queuedAt(n).toEpochMilli(), n);
    }

    /** Runs of a day are queued 15 minutes apart from midnight, the newest last. */
    private static Instant queuedAt(int n) {
        int slot = RUNS_PER_DAY - 1 - n % RUNS_PER_DAY;
        return dayOf(n).atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(slot * 15L * 60);
    }

    private static String ulid(long millis, long random) {
        char[] out = new char[26];
        long low = random * 0x9E3779B97F4A7C15L;
        for (int i = 25; i >= 10; i--) {
            out[i] = ALPHABET.charAt((int) (low & 31));
            low >>>= 5;
        }
        long high = millis;
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET.charAt((int) (high & 31));
            high >>>= 5;
        }
        return new String(out);
    }

    /** A run record as the dispatcher writes it (pretty JSON); finished, or dispatched and running when live. */
    private static String record(String id, int n, boolean live) {
        String agent = "agent-" + (n % AGENTS);
        Instant queued = queuedAt(n);
        long workflowRun = 9_000_000_000L + n;
        StringBuilder json = new StringBuilder();
        json.append("{\n  \"run\" : {\n");
        json.append("    \"id\" : \"").append(id).append("\",\n");
        json.append("    \"agent\" : \"").append(agent).append("\",\n");
        json.append("    \"state\" : \"").append(live ? "RUNNING" : "SUCCEEDED").append("\",\n");
        json.append("    \"trigger\" : {\n      \"type\" : \"scheduled\",\n      \"tick\" : \"").append(queued)
                .append("\"\n    },\n");
        json.append("    \"queuedAt\" : \"").append(queued).append("\",\n");
        json.append("    \"dispatchedAt\" : \"").append(queued.plusSeconds(1)).append("\",\n");
        json.append("    \"startedAt\" : \"").append(queued.plusSeconds(20)).append("\"");
        if (!live) {
            json.append(",\n    \"finishedAt\" : \"").append(queued.plusSeconds(600)).append("\"");
        }
        json.append("\n  },\n  \"runner\" : {\n    \"kind\" : \"github-actions\",\n");
        json.append("    \"externalId\" : \"").append(workflowRun).append("\",\n");
        json.append("    \"url\" : \"https://github.com/monkeytown/monkeytown/actions/runs/").append(workflowRun)
                .append("\",\n");
        json.append("    \"branch\" : \"agents/").append(agent).append('/').append(id).append("\"\n  },\n");
        json.append("  \"revision\" : ").append(live ? 3 : 4).append("\n}");
        return json.toString();
    }
}
