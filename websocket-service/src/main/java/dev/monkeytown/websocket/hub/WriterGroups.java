package dev.monkeytown.websocket.hub;

import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * A topic's subscribers, grouped by the executor that writes them, with an array snapshot per group that fan-out
 * reads without copying. Joining or leaving rebuilds only that group's snapshot. Not thread-safe: the topic's lock
 * guards it.
 */
final class WriterGroups {

    /** The subscribers one executor writes, as of the last change. */
    private record Group(Executor writer, Subscriber[] subscribers) {
    }

    private final Map<Executor, Set<Subscriber>> members = new IdentityHashMap<>();
    private final Map<Executor, Group> groups = new IdentityHashMap<>();
    private Group[] snapshot = new Group[0];
    private int size;

    boolean add(Subscriber subscriber) {
        Executor writer = subscriber.writer();
        Set<Subscriber> group = members.computeIfAbsent(writer, w -> new LinkedHashSet<>());
        if (!group.add(subscriber)) {
            return false;
        }
        size++;
        changed(writer, group);
        return true;
    }

    boolean remove(Subscriber subscriber) {
        Executor writer = subscriber.writer();
        Set<Subscriber> group = members.get(writer);
        if (group == null || !group.remove(subscriber)) {
            return false;
        }
        size--;
        if (group.isEmpty()) {
            members.remove(writer);
        }
        changed(writer, group);
        return true;
    }

    /**
     * Runs {@code action} for every current subscriber on its own writer: one task per writer, handed over now, so it
     * queues behind whatever was handed to that writer before.
     */
    void submitToAll(Consumer<Subscriber> action) {
        for (Group group : snapshot) {
            Subscriber[] receivers = group.subscribers();
            group.writer().execute(() -> {
                for (Subscriber receiver : receivers) {
                    action.accept(receiver);
                }
            });
        }
    }

    int size() {
        return size;
    }

    private void changed(Executor writer, Set<Subscriber> group) {
        if (group.isEmpty()) {
            groups.remove(writer);
        } else {
            groups.put(writer, new Group(writer, group.toArray(new Subscriber[0])));
        }
        snapshot = groups.values().toArray(new Group[0]);
    }
}
