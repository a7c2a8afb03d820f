package dev.monkeytown.state.fence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.monkeytown.state.Document;
import dev.monkeytown.state.Workspace;

/**
 * One active writer per state branch, by a fencing record on the branch itself: {@code fence/writer.json} names the
 * instance that writes. Every change checks it inside its own change function, so the check and the write are one
 * commit moved by compare-and-swap: once another instance's takeover has landed, a change of the old writer can only
 * land on top of it, where it finds the new name and is refused. The old instance then steps down for good (its
 * readiness goes DOWN, its owner stops working) — a rolling update never has two dispatchers dispatching.
 * <p>
 * Why not a Kubernetes Lease: the state branch is the only thing both writers must agree on, and a lease held in
 * another store can expire while a paused writer still believes in it; the record inside the commit cannot.
 */
public final class WriterFence {

    /** Where the record lives on the branch. */
    public static final String PATH = "fence/writer.json";

    private enum State {
        /** Not the writer yet: the next change takes over. */
        TAKING_OVER,
        /** The record names this instance. */
        HOLDING,
        /** Another instance took over; nothing more is written by this one. */
        STEPPED_DOWN
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String instance;
    private final Clock clock;
    private final List<Runnable> onStepDown = new CopyOnWriteArrayList<>();
    private volatile State state = State.TAKING_OVER;
    private volatile String steppedDownBecause;

    /** @param instance unique per process start, e.g. the pod name plus a random suffix */
    public WriterFence(String instance, Clock clock) {
        if (instance == null || instance.isBlank()) {
            throw new IllegalArgumentException("a writer fence needs an instance name");
        }
        this.instance = instance;
        this.clock = clock;
    }

    public String instance() {
        return instance;
    }

    /** Why this instance stopped writing, if it did. */
    public Optional<String> steppedDown() {
        return Optional.ofNullable(steppedDownBecause);
    }

    public boolean holding() {
        return state == State.HOLDING;
    }

    /** Runs once, when another instance took over; e.g. a dispatcher stops dispatching and its local runs. */
    public void onStepDown(Runnable action) {
        onStepDown.add(action);
    }

    /**
     * Inside a change function, before its edits: lets the change through if this instance is (or, in the same commit,
     * becomes) the writer, otherwise steps down and throws. Runs for each attempt of the change, so its verdict is
     * judged on the head the commit is made on. It changes no state but stepping down: whether a takeover landed is
     * known only once its commit is acknowledged ({@link #committed()}).
     *
     * @throws FencedOffException another instance holds the fence
     */
    public void check(Workspace workspace) {
        if (state == State.STEPPED_DOWN) {
            throw new FencedOffException(steppedDownBecause);
        }
        Optional<JsonNode> record = workspace.read(PATH).map(document -> parse(document.content()));
        String holder = record.map(r -> r.path("instance").asText(null)).orElse(null);
        if (instance.equals(holder)) {
            return;
        }
        if (state == State.TAKING_OVER || holder == null) {
            // a new instance takes over; a record gone missing (a restored branch) is taken back
            workspace.put(PATH, record(holder));
            return;
        }
        stepDown("instance " + holder + " took over as the writer of this branch ("
                + record.get().path("since").asText("?") + ")");
        throw new FencedOffException(steppedDownBecause);
    }

    /**
     * The record as a refresh of the view found it: an instance that holds the fence and finds another name there
     * steps down now, even if it has nothing to write (an idle old dispatcher must not look ready).
     */
    public void observe(Optional<Document> document) {
        if (state != State.HOLDING || document.isEmpty()) {
            return;
        }
        JsonNode record = parse(document.get().content());
        String holder = record.path("instance").asText(null);
        if (holder != null && !instance.equals(holder)) {
            stepDown("instance " + holder + " took over as the writer of this branch ("
                    + record.path("since").asText("?") + ")");
        }
    }

    /**
     * A change that passed {@link #check} was committed: the record at that commit names this instance, so from now
     * on a record naming another one means a takeover.
     */
    public void committed() {
        if (state == State.TAKING_OVER) {
            state = State.HOLDING;
        }
    }

    private synchronized void stepDown(String why) {
        if (state == State.STEPPED_DOWN) {
            return;
        }
        state = State.STEPPED_DOWN;
        steppedDownBecause = why;
        onStepDown.forEach(Runnable::run);
    }

    private byte[] record(String previous) {
        Map<String, String> record = new LinkedHashMap<>();
        record.put("instance", instance);
        record.put("since", clock.instant().toString());
        if (previous != null) {
            record.put("previous", previous);
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(byte[] content) {
        try {
            return JSON.readTree(content);
        } catch (IOException e) {
            // unreadable: treated as nobody's, so the next writer rewrites it
            return JSON.createObjectNode();
        }
    }
}
