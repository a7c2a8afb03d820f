package dev.monkeytown.websocket.hub;

import java.util.ArrayList;
import java.util.List;

/** Keeps every frame it is given, in order; finishes fan-outs at once. */
final class RecordingSubscriber implements Subscriber {

    final List<String> frames = new ArrayList<>();

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
