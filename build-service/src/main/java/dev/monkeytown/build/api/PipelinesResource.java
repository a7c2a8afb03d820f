package dev.monkeytown.build.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.monkeytown.build.builds.Build;
import dev.monkeytown.build.builds.BuildTrigger;
import dev.monkeytown.build.builds.Streak;
import dev.monkeytown.build.engine.BuildEngine;
import dev.monkeytown.build.pipeline.Pipeline;
import dev.monkeytown.build.pipeline.SourceRepository;
import dev.monkeytown.build.service.BuildHistory;
import dev.monkeytown.build.service.Pipelines;
import dev.monkeytown.kit.engine.EngineAnswers;

@Path("/api/v1/pipelines")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "pipelines")
public class PipelinesResource {

    /**
     * The body of {@code POST .../builds}; {@code ref} is a branch (default: the default branch), built at its head.
     * Only branches: the build's streak and the metrics are per pipeline and branch, and a commit id as a tag would
     * make them unbounded.
     */
    public record BuildRequest(String ref) {
    }

    /** The body of {@code POST .../unhold}: why the hold may go, recorded with who lifted it. */
    public record UnholdRequest(String reason) {
    }

    static final int MAX_REASON = 500;

    private final Pipelines pipelines;
    private final BuildEngine engine;
    private final BuildHistory history;
    private final SourceRepository repository;

    PipelinesResource(Pipelines pipelines, BuildEngine engine, BuildHistory history, SourceRepository repository) {
        this.pipelines = pipelines;
        this.engine = engine;
        this.history = history;
        this.repository = repository;
    }

    @GET
    @Operation(summary = "The declared pipelines, each with its failure streak, whether it is held, and its last build")
    public List<PipelineView> list() {
        return pipelines.catalog().pipelines().values().stream().map(this::view).toList();
    }

    @GET
    @Path("/{pipeline}")
    @Operation(summary = "One pipeline")
    public PipelineView get(@PathParam("pipeline") String name) {
        return view(find(name));
    }

    @POST
    @Path("/{pipeline}/builds")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Queue a build (202 once recorded); manual builds run even while the pipeline is held or"
            + " today's automatic builds are used up")
    public Response build(@PathParam("pipeline") String name, BuildRequest request,
            @HeaderParam(Requester.HEADER) String user) {
        Pipeline pipeline = find(name);
        String ref = request == null || request.ref() == null || request.ref().isBlank()
                ? pipelines.defaultBranch()
                : request.ref().trim();
        SourceRepository.Commit commit = resolve(pipeline, ref);
        Build queued = EngineAnswers.await(engine.request(pipeline.name(), ref, commit.sha(), commit.tree(),
                BuildTrigger.MANUAL, Requester.of(user), null));
        return Response.accepted(BuildView.of(queued, engine.view()))
                .location(URI.create("/api/v1/builds/" + queued.id())).build();
    }

    @POST
    @Path("/{pipeline}/branches/{branch}/unhold")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Let automatic builds of a held pipeline run again on a branch; the reason and who asked are"
            + " recorded (409 if it is not held)")
    public PipelineView.BranchStreak unhold(@PathParam("pipeline") String name, @PathParam("branch") String branch,
            UnholdRequest request, @HeaderParam(Requester.HEADER) String user) {
        Pipeline pipeline = find(name);
        if (request == null || request.reason() == null || request.reason().isBlank()) {
            throw new BadRequestException("reason: say why the hold may be lifted (it is recorded with your name)");
        }
        if (request.reason().length() > MAX_REASON) {
            throw new BadRequestException("reason: at most " + MAX_REASON + " characters");
        }
        Streak unheld = EngineAnswers.await(engine.unhold(pipeline.name(), branch, Requester.of(user),
                request.reason().strip()));
        return PipelineView.BranchStreak.of(unheld);
    }

    private PipelineView view(Pipeline pipeline) {
        Build last = history.newest(b -> b.pipeline().equals(pipeline.name())).orElse(null);
        return PipelineView.of(pipeline, engine.view(), last);
    }

    private Pipeline find(String name) {
        return pipelines.catalog().pipeline(name).orElseThrow(() -> new NotFoundException("no pipeline '" + name
                + "' is declared in .monkeytown/builds.yaml on " + pipelines.defaultBranch()));
    }

    /**
     * A manual build is of the default branch or one the pipeline declares: never a state branch or an agent's work
     * branch (a checkout of those would hand the command the suite's records, and each branch is a streak and a metric
     * series of its own).
     */
    private SourceRepository.Commit resolve(Pipeline pipeline, String ref) {
        if (ref.length() > 255 || ref.contains("..") || ref.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
            throw new BadRequestException("ref must be a branch name, was '" + ref + "'");
        }
        if (!ref.equals(pipelines.defaultBranch()) && !pipeline.branches().contains(ref)) {
            throw new BadRequestException("ref: '" + ref + "' is neither the default branch ("
                    + pipelines.defaultBranch() + ") nor one of pipeline " + pipeline.name() + "'s branches "
                    + pipeline.branches());
        }
        try {
            return repository.head(ref).orElseThrow(() -> new BadRequestException("ref: no branch '" + ref
                    + "' in the repository (a build is of a branch, at its head)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
