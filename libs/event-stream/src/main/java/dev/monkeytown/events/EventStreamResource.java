package dev.monkeytown.events;

import java.util.List;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.jboss.resteasy.reactive.RestStreamElementType;

import io.smallrye.mutiny.Multi;

/**
 * Serves this service's event log to websocket-service. Internal: the service kit's token filter guards it because it
 * carries no {@code @PublicEndpoint}.
 *
 * <p>
 * Each event goes out with SSE {@code id} {@code <epoch>:<offset>}, {@code event} its type and {@code data} the event
 * JSON. Two control events carry no id, so they never move a client's resume point: {@code gap} ({@link Gap}) and
 * {@code overflow} ({@link Overflow}, after which the stream ends). A stream that has been quiet for
 * {@code monkeytown.events.heartbeat-interval} gets a {@code : ping} comment, which SSE consumers skip but which keeps
 * their idle watchdog from reopening a healthy stream.
 */
@Path("/internal/events")
public class EventStreamResource {

    static final String GAP = "gap";
    static final String OVERFLOW = "overflow";
    // SSE writes a comment as ':' followed by the text; the space makes the line read ": ping"
    static final String PING = " ping";

    private final EventLog log;

    EventStreamResource(EventLog log) {
        this.log = log;
    }

    /**
     * @param after the last offset the consumer has; absent means only events published from now on
     * @param epoch the epoch {@code after} belongs to; when it is not the current one the consumer gets a {@code gap}
     *        and every retained event, instead of a 400 for an offset that belongs to a previous process
     */
    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<OutboundSseEvent> stream(@QueryParam("after") String after, @QueryParam("epoch") String epoch,
            @Context Sse sse) {
        if (after == null) {
            return toSse(log.subscribeWithHeartbeats(-1), -1, sse);
        }
        long offset = parseAfter(after);
        if (epoch != null && !epoch.equals(log.epoch())) {
            Backlog retained = log.since(0);
            OutboundSseEvent gap = gap(sse, new Gap(false, log.epoch(), offset, retained.firstRetained(),
                    Gap.EPOCH_CHANGED));
            return Multi.createBy().concatenating().streams(Multi.createFrom().item(gap),
                    toSse(log.subscribeWithHeartbeats(0), retained.firstRetained() - 1, sse));
        }
        Head head = log.head();
        if (offset > head.offset()) {
            throw new BadRequestException("after=" + offset + " is beyond the latest offset " + head.offset()
                    + " of epoch " + head.epoch() + "; pass epoch=<your epoch> to resume across a restart");
        }
        return toSse(log.subscribeWithHeartbeats(offset), offset, sse);
    }

    @GET
    @Path("/head")
    @Produces(MediaType.APPLICATION_JSON)
    public Head head() {
        return log.head();
    }

    private Multi<OutboundSseEvent> toSse(Multi<Delivery> deliveries, long after, Sse sse) {
        // deferred so each HTTP subscriber gets its own gap tracker
        return Multi.createFrom().deferred(() -> {
            GapTracker tracker = new GapTracker(after);
            return deliveries.onItem()
                    .transformToIterable(delivery -> delivery instanceof Event event
                            ? tracker.framesFor(event, sse)
                            : List.of(sse.newEventBuilder().comment(PING).build()))
                    .onFailure(SlowSubscriberException.class)
                    .recoverWithItem(e -> overflow(sse, (SlowSubscriberException) e));
        });
    }

    private OutboundSseEvent overflow(Sse sse, SlowSubscriberException e) {
        return sse.newEventBuilder()
                .name(OVERFLOW)
                .mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(Overflow.class, new Overflow(log.epoch(), e.lastDelivered(), e.getMessage()))
                .build();
    }

    static OutboundSseEvent gap(Sse sse, Gap gap) {
        return sse.newEventBuilder().name(GAP).mediaType(MediaType.APPLICATION_JSON_TYPE).data(Gap.class, gap).build();
    }

    static OutboundSseEvent frame(Sse sse, Event event) {
        return sse.newEventBuilder()
                .id(event.epoch() + ":" + event.offset())
                .name(event.type())
                .mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(Event.class, event)
                .build();
    }

    private static long parseAfter(String after) {
        try {
            long offset = Long.parseLong(after.trim());
            if (offset >= 0) {
                return offset;
            }
        } catch (NumberFormatException e) {
            // same answer as a negative number below
        }
        throw new BadRequestException(
                "after must be a whole number of 0 or more (the offset of the last event you have), was '" + after
                        + "'");
    }
}
