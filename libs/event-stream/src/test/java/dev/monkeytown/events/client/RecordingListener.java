package dev.monkeytown.events.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;

import dev.monkeytown.events.Event;
import dev.monkeytown.events.Gap;

/** Records every call, and which thread made it, in order. */
final class RecordingListener implements EventStreamListener {

    sealed interface Call permits Connected, Received, GapSeen, Disconnected, Unavailable {
    }

    record Connected(String epoch) implements Call {
    }

    record Received(Event event) implements Call {
    }

    record GapSeen(Gap gap) implements Call {
    }

    record Disconnected(Throwable cause) implements Call {
    }

    record Unavailable(Throwable cause) implements Call {
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();

    @Override
    public void onConnected(String epoch) {
        record(new Connected(epoch));
    }

    @Override
    public void onEvent(Event event) {
        record(new Received(event));
    }

    @Override
    public void onGap(Gap gap) {
        record(new GapSeen(gap));
    }

    @Override
    public void onDisconnected(Throwable cause) {
        record(new Disconnected(cause));
    }

    @Override
    public void onUnavailable(Throwable cause) {
        record(new Unavailable(cause));
    }

    private void record(Call call) {
        threads.add(Thread.currentThread().getName());
        calls.add(call);
    }

    List<Event> events() {
        return calls.stream().filter(Received.class::isInstance).map(c -> ((Received) c).event()).toList();
    }

    List<Long> offsets() {
        return events().stream().map(Event::offset).toList();
    }

    List<Gap> gaps() {
        return calls.stream().filter(GapSeen.class::isInstance).map(c -> ((GapSeen) c).gap()).toList();
    }

    long count(Class<? extends Call> type) {
        return calls.stream().filter(type::isInstance).count();
    }

    static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }
}
