package dev.monkeytown.dispatcher.api;

import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.monkeytown.dispatcher.dispatch.Dispatcher;
import dev.monkeytown.dispatcher.dispatch.UnknownRunException;
import dev.monkeytown.dispatcher.queue.AgentName;
import dev.monkeytown.dispatcher.queue.RunState;
import dev.monkeytown.dispatcher.runs.RunBook;
import dev.monkeytown.dispatcher.runs.RunHistory;
import dev.monkeytown.dispatcher.runs.RunRecord;
import dev.monkeytown.dispatcher.runs.RunView;
import dev.monkeytown.kit.ids.SortableIds;
import dev.monkeytown.kit.params.QueryParams;
import dev.monkeytown.runner.LogExcerpt;
import dev.monkeytown.runner.Runner;
import dev.monkeytown.state.StateBranch;

@Path("/api/v1/runs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "runs")
public class RunsResource {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    /** The most of a log one request returns; follow a growing log with {@code from}. */
    static final int MAX_LOG_BYTES = 256 * 1024;

    private final Dispatcher dispatcher;
    private final RunHistory history;
    private final RunBook book;
    private final StateBranch branch;
    private final Runner runner;

    RunsResource(Dispatcher dispatcher, RunHistory history, RunBook book, StateBranch branch,
            Runner runner) {
        this.dispatcher = dispatcher;
        this.history = history;
        this.book = book;
        this.branch = branch;
        this.runner = runner;
    }

    @GET
    @Operation(summary = "Runs, newest first; pass the answer's next as cursor for the following page")
    public RunPage list(@QueryParam("agent") String agent, @QueryParam("state") String state,
            @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        Predicate<RunRecord> filter = record -> true;
        if (agent != null) {
            if (!AgentName.isValid(agent)) {
                throw new BadRequestException("agent must be an agent name such as docs-writer, was '" + agent + "'");
            }
            filter = filter.and(record -> record.run().agent().equals(agent));
        }
        if (state != null) {
            RunState wanted = parseState(state);
            filter = filter.and(record -> record.run().state() == wanted);
        }
        if (cursor != null && !SortableIds.isValid(cursor)) {
            throw new BadRequestException("cursor must be the next value of a previous page, was '" + cursor + "'");
        }
        RunHistory.Page page = history.page(filter, QueryParams.limit(limit, MAX_LIMIT, DEFAULT_LIMIT),
                Optional.ofNullable(cursor));
        String next = page.more() ? page.runs().get(page.runs().size() - 1).id() : null;
        return new RunPage(page.runs().stream().map(RunView::of).toList(), next);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One run")
    public RunView get(@PathParam("id") String id) {
        return RunView.of(find(id));
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Cancel a queued or active run; 409 if it already ended")
    public CompletionStage<RunView> cancel(@PathParam("id") String id, @HeaderParam(Requester.HEADER) String user) {
        if (!SortableIds.isValid(id)) {
            throw new NotFoundException(new UnknownRunException(id).getMessage());
        }
        return dispatcher.cancel(id, Requester.of(user)).thenApply(RunView::of);
    }

    @GET
    @Path("/{id}/log")
    @Produces({MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON})
    @Operation(summary = "The run's output (local runner): the end of it, or from byte offset 'from'")
    public Response log(@PathParam("id") String id, @QueryParam("from") String from) {
        RunRecord record = find(id);
        long fromByte = QueryParams.wholeNumber("from", from, 0, Long.MAX_VALUE, -1);
        Optional<LogExcerpt> excerpt = runner.log(id, fromByte, MAX_LOG_BYTES);
        if (excerpt.isEmpty()) {
            String where = record.runner().flatMap(r -> r.url()).map(url -> "; its output is at " + url).orElse("");
            throw new NotFoundException("no output is kept here for run " + id + where);
        }
        LogExcerpt log = excerpt.get();
        return Response.ok(log.text(), MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"))
                .header("X-Log-From-Byte", log.fromByte())
                .header("X-Log-Total-Bytes", log.totalBytes())
                .build();
    }

    private RunRecord find(String id) {
        if (!SortableIds.isValid(id)) {
            throw new NotFoundException(new UnknownRunException(id).getMessage());
        }
        return history.find(id).or(() -> book.find(branch, id))
                .orElseThrow(() -> new NotFoundException(new UnknownRunException(id).getMessage()));
    }

    private static RunState parseState(String state) {
        try {
            return RunState.fromJson(state);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("state must be one of " + Arrays.stream(RunState.values())
                    .map(RunState::jsonName).collect(Collectors.joining(", ")) + ", was '" + state + "'");
        }
    }
}
