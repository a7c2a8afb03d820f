package dev.monkeytown.state;

/**
 * A change to a state branch, expressed as a function of the current state so it can be re-applied when another writer
 * got there first: "append run X to the queue" stays correct whatever the queue holds by then.
 *
 * @param message one line saying what happened, e.g. "queue run 01J… for agent docs"
 * @param actor who asked for it
 * @param edits reads the current state and records puts and deletes; may run more than once, so it must not have side
 *        effects outside the {@link Workspace}
 */
public record Change(String message, Actor actor, Edits edits) {

    @FunctionalInterface
    public interface Edits {
        /** Throw {@link ChangeRejectedException} to refuse the change (only this change fails). */
        void apply(Workspace workspace);
    }
}
