package dev.monkeytown.deploy.api;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
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

import com.fasterxml.jackson.databind.JsonNode;

import dev.monkeytown.deploy.deployments.Deployment;
import dev.monkeytown.deploy.deployments.DeploymentState;
import dev.monkeytown.deploy.engine.DeployEngine;
import dev.monkeytown.deploy.engine.DeploymentRuns;
import dev.monkeytown.deploy.environment.Environment;
import dev.monkeytown.deploy.service.DeployConfig;
import dev.monkeytown.deploy.service.DeployMode;
import dev.monkeytown.kit.engine.EngineAnswers;
import dev.monkeytown.kit.ids.SortableIds;
import dev.monkeytown.kit.params.QueryParams;
import dev.monkeytown.runner.LogExcerpt;
import dev.monkeytown.runner.Runner;

@Path("/api/v1/deployments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "deployments")
public class DeploymentsResource {

    /** A page of deployments, newest first; {@code next} is the cursor of the following page, absent on the last. */
    public record DeploymentPage(List<Deployment> deployments, String next) {
    }

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    static final int MAX_LOG_BYTES = 256 * 1024;

    private final DeployEngine engine;
    private final Runner runner;
    private final Approvers approvers;
    private final DeployMode mode;

    DeploymentsResource(DeployEngine engine, Runner runner, DeployConfig config, DeployMode mode) {
        this.engine = engine;
        this.runner = runner;
        this.approvers = new Approvers(config.approval().preventSelfReview());
        this.mode = mode;
    }

    @GET
    @Operation(summary = "Deployments, newest first; pass the answer's next as cursor for the following page")
    public DeploymentPage list(@QueryParam("environment") String environment, @QueryParam("state") String state,
            @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        Predicate<Deployment> filter = d -> true;
        if (environment != null) {
            if (!Environment.isValidName(environment)) {
                throw new BadRequestException("environment must be an environment name such as staging, was '"
                        + environment + "'");
            }
            filter = filter.and(d -> d.environment().equals(environment));
        }
        if (state != null) {
            DeploymentState wanted = parseState(state);
            filter = filter.and(d -> d.state() == wanted);
        }
        if (cursor != null && !SortableIds.isValid(cursor)) {
            throw new BadRequestException("cursor must be the next value of a previous page, was '" + cursor + "'");
        }
        int size = QueryParams.limit(limit, MAX_LIMIT, DEFAULT_LIMIT);
        List<Deployment> matching = engine.view().newestFirst().stream()
                .filter(d -> cursor == null || d.id().compareTo(cursor) < 0).filter(filter).limit(size + 1L).toList();
        boolean more = matching.size() > size;
        List<Deployment> page = more ? matching.subList(0, size) : matching;
        return new DeploymentPage(page, more ? page.get(page.size() - 1).id() : null);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One deployment")
    public Deployment get(@PathParam("id") String id) {
        return find(id);
    }

    @GET
    @Path("/{id}/log")
    @Produces({MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON})
    @Operation(summary = "A step's output (step=deploy, the default, or health), its last 256 KiB, secrets masked")
    public Response log(@PathParam("id") String id, @QueryParam("step") String step) {
        Deployment deployment = find(id);
        if (engine.onGitHub()) {
            Long run = deployment.github() == null ? null : deployment.github().runId();
            throw new NotFoundException("deployment " + id + " ran on GitHub Actions"
                    + (run == null ? "" : " as workflow run " + run) + "; its log is kept there, not here");
        }
        DeploymentRuns.Step chosen;
        if (step == null || step.equals("deploy")) {
            chosen = DeploymentRuns.Step.DEPLOY;
        } else if (step.equals("health")) {
            chosen = DeploymentRuns.Step.HEALTH;
        } else {
            throw new BadRequestException("step must be deploy or health, was '" + step + "'");
        }
        LogExcerpt log = runner.log(DeploymentRuns.runId(deployment, chosen), -1, MAX_LOG_BYTES).orElseThrow(
                () -> new NotFoundException("no output is kept here for the " + chosen.name().toLowerCase()
                        + " step of deployment " + id));
        return Response.ok(log.text(), MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"))
                .header("X-Log-From-Byte", log.fromByte()).header("X-Log-Total-Bytes", log.totalBytes()).build();
    }

    @POST
    @Path("/{id}/approve")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Approve a deployment waiting for approval ({reason} required); it starts at once. In GitHub"
            + " mode 409: approval happens on GitHub, by a reviewer of the GitHub environment")
    public Deployment approve(@PathParam("id") String id, JsonNode body, @HeaderParam(Requester.HEADER) String user) {
        return decide(id, true, body, user);
    }

    @POST
    @Path("/{id}/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Reject a deployment waiting for approval ({reason} required); it becomes inactive")
    public Deployment reject(@PathParam("id") String id, JsonNode body, @HeaderParam(Requester.HEADER) String user) {
        return decide(id, false, body, user);
    }

    private Deployment decide(String id, boolean approve, JsonNode body, String user) {
        Deployment deployment = find(id);
        String reason = Bodies.text(Bodies.object(body, Set.of("reason")), "reason")
                .orElseThrow(() -> new BadRequestException("reason is required: say why"));
        // on GitHub the engine answers that GitHub's reviewers decide, whoever asks
        String by = mode.onGitHub() ? Requester.of(user) : approvers.decider(deployment, user);
        return EngineAnswers.await(engine.decide(id, approve, by, reason));
    }

    private Deployment find(String id) {
        if (!SortableIds.isValid(id)) {
            throw new NotFoundException("no deployment " + id);
        }
        return engine.view().deployment(id).orElseThrow(() -> new NotFoundException("no deployment " + id));
    }

    private static DeploymentState parseState(String state) {
        try {
            return DeploymentState.fromJson(state);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("state must be one of " + Arrays.stream(DeploymentState.values())
                    .map(DeploymentState::jsonName).collect(Collectors.joining(", ")) + ", was '" + state + "'");
        }
    }
}
