package dev.monkeytown.dispatcher.queue;

/**
 * What {@link RunQueue#enqueue} did with a new run: {@code coalesced} means it was folded into the agent's already
 * pending automatic run, and {@code run} is that pending run (possibly with a merged trigger), not the one offered.
 */
public record Enqueued(AgentRun run, boolean coalesced) {
}
