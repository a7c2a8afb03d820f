package dev.monkeytown.build.api;

import java.net.URI;
import java.util.Arrays;
import java.util.Optional;
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

import dev.monkeytown.build.builds.Attempt;
import dev.monkeytown.build.builds.Build;
import dev.monkeytown.build.builds.BuildState;
import dev.monkeytown.build.builds.BuildTrigger;
import dev.monkeytown.build.engine.BuildBook;
import dev.monkeytown.build.engine.BuildEngine;
import dev.monkeytown.build.pipeline.Pipeline;
import dev.monkeytown.build.service.BuildHistory;
import dev.monkeytown.kit.engine.EngineAnswers;
import dev.monkeytown.kit.ids.SortableIds;
import dev.monkeytown.kit.params.QueryParams;
import dev.monkeytown.kit.problem.ProblemResponses;
import dev.monkeytown.kit.problem.ProblemType;
import dev.monkeytown.runner.LogExcerpt;
import dev.monkeytown.runner.Runner;
import dev.monkeytown.runner.RunnerRef;
import dev.monkeytown.state.StateBranch;

@Path("/api/v1/builds")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "builds")
public class BuildsResource {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    static final int MAX_LOG_BYTES = 256 * 1024;

    private final BuildEngine engine;
    private final BuildHistory history;
    private final BuildBook book;
    private final StateBranch branch;
    private final Runner runner;

    BuildsResource(BuildEngine engine, BuildHistory history, BuildBook book, StateBranch branch, Runner runner) {
        this.engine = engine;
        this.history = history;
        this.book = book;
        this.branch = branch;
        this.runner = runner;
    }

    @GET
    @Operation(summary = "Builds, newest first; pass the answer's next as cursor for the following page")
    public BuildPage list(@QueryParam("pipeline") String pipeline, @QueryParam("branch") String branchName,
            @QueryParam("state") String state, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        Predicate<Build> filter = build -> true;
        if (pipeline != null) {
            if (!Pipeline.isValidName(pipeline)) {
                throw new BadRequestException("pipeline must be a pipeline name such as site, was '" + pipeline + "'");
            }
            filter = filter.and(build -> build.pipeline().equals(pipeline));
        }
        if (branchName != null) {
            filter = filter.and(build -> build.ref().equals(branchName));
        }
        if (state != null) {
            BuildState wanted = parseState(state);
            filter = filter.and(build -> build.state() == wanted);
        }
        if (cursor != null && !SortableIds.isValid(cursor)) {
            throw new BadRequestException("cursor must be the next value of a previous page, was '" + cursor + "'");
        }
        BuildHistory.Page page = history.page(filter, QueryParams.limit(limit, MAX_LIMIT, DEFAULT_LIMIT),
                Optional.ofNullable(cursor));
        String next = page.more() ? page.builds().get(page.builds().size() - 1).id() : null;
        return new BuildPage(page.builds().stream().map(b -> BuildView.of(b, engine.view())).toList(), next);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One build, with its attempts and outputs")
    public BuildView get(@PathParam("id") String id) {
        return BuildView.of(find(id), engine.view());
    }

    @GET
    @Path("/{id}/log")
    @Produces({MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON})
    @Operation(summary = "An attempt's output (default: the latest attempt), its last 256 KiB")
    public Response log(@PathParam("id") String id, @QueryParam("attempt") String attempt) {
        Build build = find(id);
        if (build.attempts().isEmpty()) {
            throw new NotFoundException("build " + id + " has not had an attempt yet");
        }
        int number = (int) QueryParams.wholeNumber("attempt", attempt, 1, Integer.MAX_VALUE,
                build.attempts().size());
        Attempt chosen = build.attempts().stream().filter(a -> a.number() == number).findFirst()
                .orElseThrow(() -> new NotFoundException("build " + id + " has no attempt " + number + " (it has "
                        + build.attempts().size() + ")"));
        LogExcerpt log = runner.log(chosen.runId(), -1, MAX_LOG_BYTES).orElseThrow(() -> new NotFoundException(
                "no output is kept here for attempt " + number + " of build " + id + Optional
                        .ofNullable(chosen.runner()).flatMap(RunnerRef::url)
                        .map(url -> ": it ran as a GitHub Actions workflow run, whose log is at " + url).orElse("")));
        return Response.ok(log.text(), MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"))
                .header("X-Log-From-Byte", log.fromByte()).header("X-Log-Total-Bytes", log.totalBytes()).build();
    }

    @POST
    @Path("/{id}/retry")
    @Operation(summary = "Build the same commit again as a new build (202 once recorded); only an ended build that did"
            + " not succeed")
    public Response retry(@PathParam("id") String id, @HeaderParam(Requester.HEADER) String user) {
        Build build = find(id);
        if (!build.state().isTerminal() || build.state() == BuildState.SUCCEEDED) {
            return ProblemResponses.of(ProblemType.HTTP_STATUS, 409, "build " + id + " is " + build.state().jsonName()
                    + ": only a failed, timed out or cancelled build can be retried",
                    "/api/v1/builds/" + id
                            + "/retry");
        }
        Build queued = EngineAnswers.await(engine.request(build.pipeline(), build.ref(), build.sha(), build.tree(),
                BuildTrigger.RETRY, Requester.of(user), build.id()));
        return Response.accepted(BuildView.of(queued, engine.view()))
                .location(URI.create("/api/v1/builds/" + queued.id())).build();
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Cancel a build that has not ended (409 if it has)")
    public BuildView cancel(@PathParam("id") String id, @HeaderParam(Requester.HEADER) String user) {
        find(id);
        return BuildView.of(EngineAnswers.await(engine.cancel(id, Requester.of(user))), engine.view());
    }

    private Build find(String id) {
        if (!SortableIds.isValid(id)) {
            throw new NotFoundException("no build " + id);
        }
        // the history hears of a change as it is committed, a little before the engine's view does
        return history.find(id).or(() -> Optional.ofNullable(engine.view().live().get(id)))
                .or(() -> book.find(branch, id))
                .orElseThrow(() -> new NotFoundException("no build " + id));
    }

    private static BuildState parseState(String state) {
        try {
            return BuildState.fromJson(state);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("state must be one of " + Arrays.stream(BuildState.values())
                    .map(BuildState::jsonName).collect(Collectors.joining(", ")) + ", was '" + state + "'");
        }
    }
}
