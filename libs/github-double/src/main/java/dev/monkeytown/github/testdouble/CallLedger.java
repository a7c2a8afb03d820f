package dev.monkeytown.github.testdouble;

import java.util.ArrayList;
import java.util.List;

/** Every request the double answered, in arrival order, so tests assert exact costs and timing. */
public final class CallLedger {

    /** Totals by kind; {@code reads} = counted reads + 304s. */
    public record Costs(long reads, long countedReads, long notModified, long writes, long rejected) {

        public Costs minus(Costs earlier) {
            return new Costs(reads - earlier.reads, countedReads - earlier.countedReads,
                    notModified - earlier.notModified, writes - earlier.writes, rejected - earlier.rejected);
        }
    }

    private final List<RecordedRequest> requests = new ArrayList<>();

    /** Kept in arrival order although requests held open (late or lost answers) are recorded when they end. */
    synchronized void record(RecordedRequest request) {
        int at = requests.size();
        while (at > 0 && requests.get(at - 1).arrivedAt().isAfter(request.arrivedAt())) {
            at--;
        }
        requests.add(at, request);
    }

    public synchronized List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** The requests refused for {@code reason}: e.g. assert none hit a secondary limit. */
    public synchronized List<RecordedRequest> refused(Refusal reason) {
        return requests.stream().filter(r -> r.refusal() == reason).toList();
    }

    public synchronized void clear() {
        requests.clear();
    }

    public synchronized Costs costs() {
        long counted = count(CallKind.COUNTED_READ);
        long notModified = count(CallKind.NOT_MODIFIED);
        return new Costs(counted + notModified, counted, notModified, count(CallKind.WRITE), count(CallKind.REJECTED));
    }

    private long count(CallKind kind) {
        return requests.stream().filter(r -> r.kind() == kind).count();
    }
}
