package dev.monkeytown.events;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One thing that happened in a producer. {@code (epoch, offset)} identifies it: offsets increase by exactly one within
 * an epoch, so a consumer that sees offset {@code n + 2} after {@code n} knows it missed one.
 *
 * @param epoch random id of the producer process that published it; a new epoch means offsets restarted at 1
 * @param offset position in this epoch's log, starting at 1
 * @param type what happened, lower-case and dotted ({@code run.queued}); also the SSE event name
 * @param subject what it happened to (a run id, an agent name)
 * @param time when it was published
 * @param data the payload, already JSON so a later change to the publisher's object cannot alter a published event
 */
public record Event(String epoch, long offset, String type, String subject, Instant time, JsonNode data)
        implements
            Delivery {
}
