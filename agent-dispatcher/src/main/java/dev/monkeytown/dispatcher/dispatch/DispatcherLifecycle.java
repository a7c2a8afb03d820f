package dev.monkeytown.dispatcher.dispatch;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

import dev.monkeytown.dispatcher.api.AgentView;
import dev.monkeytown.dispatcher.registry.AgentRegistry;
import dev.monkeytown.events.EventLog;

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

    DispatcherLifecycle(AgentRegistry registry, Dispatcher dispatcher, ChangeTriggers triggers, RunEvents runEvents,
            EventLog events) {
        this.registry = registry;
        this.dispatcher = dispatcher;
        this.triggers = triggers;
        this.runEvents = runEvents;
        this.events = events;
    }

    void start(@Observes StartupEvent event) {
        refreshDeclarations();
        runEvents.watch(dispatcher);
        dispatcher.start();
    }

    @Scheduled(every = "${monkeytown.dispatcher.registry-interval:15s}", delayed = "${monkeytown.dispatcher.registry-interval:15s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        refreshDeclarations();
    }

    /** Re-reads the declarations now if the default branch moved (also called for push webhooks). */
    public synchronized void refreshDeclarations() {
        try {
            registry.refresh().ifPresent(refresh -> {
                for (String name : refresh.changedAgents()) {
                    Optional<AgentView> view = refresh.catalog().agent(name).map(AgentView::of);
                    events.publish("agent.updated", name, view.orElseGet(() -> AgentView.removed(name)));
                }
                dispatcher.catalogChanged();
                refresh.previousRevision().ifPresent(previous -> onChanges(previous, refresh.revision()));
            });
        } catch (Exception e) {
            Log.warnf("Could not read the agent declarations: %s", e.toString());
        }
    }

    private void onChanges(String previous, String current) {
        try {
            Optional<List<String>> paths = registry.source().changedPaths(previous, current);
            paths.ifPresent(changed -> {
                List<String> agents = triggers.changed(current, changed);
                if (!agents.isEmpty()) {
                    Log.infof("Default branch moved to %s; on-change runs requested for %s", current, agents);
                }
            });
        } catch (Exception e) {
            Log.warnf("Could not tell what changed between %s and %s: %s", previous, current, e.toString());
        }
    }
}
