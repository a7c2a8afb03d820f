package dev.monkeytown.dispatcher.dispatch;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

import dev.monkeytown.dispatcher.activity.ActivityWatch;
import dev.monkeytown.dispatcher.api.AgentView;
import dev.monkeytown.dispatcher.registry.AgentRegistry;
import dev.monkeytown.events.EventLog;
import dev.monkeytown.state.quarkus.WriterTakeover;

/**
 * Starts the dispatcher once the declarations have been read (or tried), and keeps the declarations current: the
 * default branch head is polled (a free 304 on GitHub when unchanged), and a moved head re-reads the declarations,
 * announces changed agents ({@code agent.updated}) and, where the source can tell what changed (local mode), queues
 * on-change runs. In GitHub mode push webhooks do that instead.
 */
@Singleton
public class DispatcherLifecycle {

    private final AgentRegistry registry;
    private final Dispatcher dispatcher;
    private final ChangeTriggers triggers;
    private final RunEvents runEvents;
    private final EventLog events;
    private final WriterTakeover takeover;
    private final ActivityWatch activity;

    DispatcherLifecycle(AgentRegistry registry, Dispatcher dispatcher, ChangeTriggers triggers, RunEvents runEvents,
            EventLog events, WriterTakeover takeover, ActivityWatch activity) {
        this.takeover = takeover;
        this.activity = activity;
        this.registry = registry;
        this.dispatcher = dispatcher;
        this.triggers = triggers;
        this.runEvents = runEvents;
        this.events = events;
    }

    void start(@Observes StartupEvent event) {
        refreshDeclarations();
        runEvents.watch(dispatcher);
        // the runs are read back only once this instance holds the branch: a dispatcher it replaces may still be
        // queueing runs until then, and they must be in what is read
        takeover.held().thenRun(dispatcher::start);
        // changes made while no dispatcher was up are caught up once the runs are back, not at the first poll
        dispatcher.restored().thenRunAsync(this::refreshDeclarations);
    }

    @Scheduled(every = "${monkeytown.dispatcher.registry-interval:15s}", delayed = "${monkeytown.dispatcher.registry-interval:15s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        refreshDeclarations();
    }

    /**
     * Re-reads the declarations if the default branch moved, then catches up with its changes (also at every poll, so
     * a change whose runs could not be recorded is tried again), and lets the business metrics look at the branches:
     * this is the one watch of the repository.
     */
    public void refreshDeclarations() {
        reloadDeclarations();
        catchUp(Optional.empty());
        activity.observe();
    }

    /** Re-reads the declarations now if the default branch moved, announcing changed agents. */
    public synchronized void reloadDeclarations() {
        try {
            registry.refresh().ifPresent(refresh -> {
                for (String name : refresh.changedAgents()) {
                    Optional<AgentView> view = refresh.catalog().agent(name).map(AgentView::of);
                    events.publish("agent.updated", name, view.orElseGet(() -> AgentView.removed(name)));
                }
                dispatcher.catalogChanged();
            });
        } catch (Exception e) {
            Log.warnf("Could not read the agent declarations: %s", e.toString());
        }
    }

    /**
     * Queues what the default branch's changes since the recorded head ask for; with a push webhook's own list of
     * paths when it starts at that head. Returns the agents a run was requested for, once recorded.
     */
    public List<String> catchUp(Optional<ChangeTriggers.Push> push) {
        Optional<String> head = push.map(ChangeTriggers.Push::after).or(registry::revision)
                .filter(revision -> !revision.isEmpty());
        if (head.isEmpty() || !dispatcher.restored().isDone() || registry.catalog().isEmpty()) {
            return List.of();
        }
        try {
            return triggers.catchUp(head.get(), push);
        } catch (Exception e) {
            Log.warnf("Could not record the changes up to %s yet (tried again at the next poll): %s", head.get(),
                    e.toString());
            if (push.isPresent()) {
                throw new ChangesNotRecordedException("the on-change runs of the push to " + head.get()
                        + " could not be recorded: " + e.getMessage(), e);
            }
            return List.of();
        }
    }
}
