package dev.monkeytown.websocket.hub;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/** Keeps every frame it is given, in order; finishes fan-outs at once. */
final class RecordingSubscriber implements Subscriber {

    /** Runs each task at once, on the caller's thread. */
    static final Executor DIRECT = Runnable::run;

    final List<String> frames = new ArrayList<>();
    private final Executor writer;

    RecordingSubscriber() {
        this(DIRECT);
    }

    RecordingSubscriber(Executor writer) {
        this.writer = writer;
    }

    @Override
    public Executor writer() {
        return writer;
    }

    @Override
    public void deliver(String frame, Fanout fanout) {
        frames.add(frame);
        fanout.done();
    }

    @Override
    public void write(String frame) {
        frames.add(frame);
    }
}
