package dev.monkeytown.deploy.api;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;

import dev.monkeytown.deploy.deployments.Deployment;
import dev.monkeytown.deploy.deployments.DeploymentKind;
import dev.monkeytown.deploy.deployments.EnvironmentStatus;
import dev.monkeytown.deploy.engine.DeployEngine;
import dev.monkeytown.deploy.engine.DeployRefusedException;
import dev.monkeytown.deploy.environment.Environment;
import dev.monkeytown.deploy.environment.EnvironmentProblem;
import dev.monkeytown.deploy.gitops.SourceRepository;
import dev.monkeytown.deploy.preconditions.BuildRecord;
import dev.monkeytown.deploy.preconditions.BuildRecords;
import dev.monkeytown.deploy.preconditions.Preconditions;
import dev.monkeytown.deploy.service.Environments;
import dev.monkeytown.kit.engine.EngineAnswers;

@Path("/api/v1/environments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "environments")
public class EnvironmentsResource {

    /** The answer of {@code GET /environments}: the environments and what is wrong in their declarations. */
    public record EnvironmentList(List<EnvironmentView> environments, List<EnvironmentProblem> problems) {
    }

    private static final java.util.regex.Pattern SHA = java.util.regex.Pattern.compile("[0-9a-f]{40}");

    private final DeployEngine engine;
    private final Environments environments;
    private final SourceRepository repository;
    private final Preconditions preconditions;
    private final BuildRecords builds;

    EnvironmentsResource(DeployEngine engine, Environments environments, SourceRepository repository,
            Preconditions preconditions) {
        this.engine = engine;
        this.environments = environments;
        this.repository = repository;
        this.preconditions = preconditions;
        this.builds = preconditions.builds();
    }

    @GET
    @Operation(summary = "Every declared environment: current and last good deployment, paused, success rate")
    public EnvironmentList list() {
        Instant now = Instant.now();
        return new EnvironmentList(environments.catalog().environments().values().stream()
                .map(e -> EnvironmentView.of(e, engine.view(), now)).toList(), environments.catalog().problems());
    }

    @GET
    @Path("/{environment}")
    @Operation(summary = "One environment")
    public EnvironmentView get(@PathParam("environment") String name) {
        return EnvironmentView.of(declared(name), engine.view(), Instant.now());
    }

    @POST
    @Path("/{environment}/deployments")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Deploy a commit ({sha}) or a build's commit ({buildId}); 202 once queued. The required"
            + " pipelines must have succeeded for it or for a commit with an identical tree")
    public Response deploy(@PathParam("environment") String name, JsonNode body,
            @HeaderParam(Requester.HEADER) String user) {
        Environment environment = declared(name);
        JsonNode fields = Bodies.object(body, Set.of("sha", "buildId"));
        Optional<String> sha = Bodies.text(fields, "sha");
        Optional<String> buildId = Bodies.text(fields, "buildId");
        if (sha.isPresent() == buildId.isPresent()) {
            throw new BadRequestException("give exactly one of sha (a full commit id) or buildId");
        }
        String commitId = sha.orElse(null);
        if (sha.isPresent() && !SHA.matcher(sha.get()).matches()) {
            throw new BadRequestException("sha must be a full commit id, 40 lower-case hex digits");
        }
        if (buildId.isPresent()) {
            BuildRecord build = ask(() -> builds.build(buildId.get())).orElseThrow(
                    () -> new BadRequestException("build-service has no build " + buildId.get()));
            commitId = build.sha();
            if (commitId == null || !SHA.matcher(commitId).matches()) {
                // build-service's answer, not the client's mistake
                throw new ServiceUnavailableException("build-service's build " + buildId.get()
                        + " names no commit; ask again later", 5L);
            }
        }
        SourceRepository.Commit commit = commit(commitId);
        Preconditions.Verdict verdict = ask(() -> preconditions.check(environment, commit.sha(), commit.tree()));
        if (verdict instanceof Preconditions.Verdict.Unmet unmet) {
            throw new DeployRefusedException(unmet.why());
        }
        DeploymentKind kind = engine.view().ledger(name).current().map(Deployment::sha).filter(commit.sha()::equals)
                .isPresent() ? DeploymentKind.REDEPLOY : DeploymentKind.DEPLOY;
        Deployment queued = EngineAnswers.await(engine.request(name, commit, kind,
                ((Preconditions.Verdict.Met) verdict).artifacts(), Requester.of(user)));
        return Response.accepted(queued).location(URI.create("/api/v1/deployments/" + queued.id())).build();
    }

    @POST
    @Path("/{environment}/revert")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Revert to the last good deployment (or to {to}, a good deployment of this environment): one"
            + " new commit on environments/<env> with that tree, deployed as kind revert; automatic deploys pause")
    public Response revert(@PathParam("environment") String name, JsonNode body,
            @HeaderParam(Requester.HEADER) String user) {
        declared(name);
        Optional<String> to = Bodies.text(Bodies.object(body, Set.of("to")), "to");
        Deployment revert = EngineAnswers.await(engine.revert(name, to, Requester.of(user)));
        return Response.accepted(revert).location(URI.create("/api/v1/deployments/" + revert.id())).build();
    }

    @POST
    @Path("/{environment}/pause")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Pause automatic deploys and new deployments until resumed ({reason} required)")
    public EnvironmentStatus pause(@PathParam("environment") String name, JsonNode body,
            @HeaderParam(Requester.HEADER) String user) {
        declared(name);
        String reason = Bodies.text(Bodies.object(body, Set.of("reason")), "reason")
                .orElseThrow(() -> new BadRequestException("reason is required: say why the environment is paused"));
        return EngineAnswers.await(engine.pause(name, Requester.of(user), reason));
    }

    @POST
    @Path("/{environment}/resume")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Resume automatic deploys ({reason} optional)")
    public EnvironmentStatus resume(@PathParam("environment") String name, JsonNode body,
            @HeaderParam(Requester.HEADER) String user) {
        declared(name);
        String reason = Bodies.text(Bodies.object(body, Set.of("reason")), "reason").orElse("resumed by an operator");
        return EngineAnswers.await(engine.resume(name, Requester.of(user), reason));
    }

    private Environment declared(String name) {
        return environments.catalog().environment(name)
                .orElseThrow(() -> new NotFoundException("no environment " + name + " is declared"));
    }

    private SourceRepository.Commit commit(String sha) {
        try {
            return repository.commit(sha).orElseThrow(
                    () -> new BadRequestException("commit " + sha + " is not in the repository"));
        } catch (IOException e) {
            throw new ServiceUnavailableException("the repository could not be read", 5L);
        }
    }

    private interface Question<T> {
        T ask() throws BuildRecords.BuildsUnavailableException;
    }

    private static <T> T ask(Question<T> question) {
        try {
            return question.ask();
        } catch (BuildRecords.BuildsUnavailableException e) {
            throw new ServiceUnavailableException("build-service could not say whether the required pipelines"
                    + " succeeded (" + e.getMessage() + "); nothing was queued; try again", 5L);
        }
    }
}
