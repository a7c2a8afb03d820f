package dev.monkeytown.deploy.api;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.monkeytown.deploy.engine.DeployRefusedException;
import dev.monkeytown.kit.problem.ProblemResponses;
import dev.monkeytown.kit.problem.ProblemType;
import dev.monkeytown.state.ChangeRejectedException;
import dev.monkeytown.state.StateConflictException;
import dev.monkeytown.state.StateUnavailableException;

/**
 * The engine's refusals as problem+json. Not being able to record a step is a 503 with {@code Retry-After}: nothing
 * was queued or changed, so trying again later is exactly right.
 */
public class DeployProblems {

    @ServerExceptionMapper
    public Response refused(DeployRefusedException e, UriInfo uri) {
        int status = e instanceof DeployRefusedException.NotFound ? 404 : 409;
        return ProblemResponses.of(ProblemType.HTTP_STATUS, status, e.getMessage(), uri.getPath());
    }

    @ServerExceptionMapper
    public Response changedMeanwhile(ChangeRejectedException e, UriInfo uri) {
        return unavailable("the request could not be recorded: a record changed on the state branch meanwhile;"
                + " nothing was changed; try again", uri);
    }

    @ServerExceptionMapper
    public Response storeUnavailable(StateUnavailableException e, UriInfo uri) {
        return unavailable("the request could not be recorded, so nothing was changed: the state store is"
                + " unavailable; try again shortly", uri);
    }

    @ServerExceptionMapper
    public Response storeConflict(StateConflictException e, UriInfo uri) {
        return unavailable("the request could not be recorded because the state branch kept changing; nothing was"
                + " changed; try again", uri);
    }

    static Response unavailable(String detail, UriInfo uri) {
        return Response.fromResponse(ProblemResponses.of(ProblemType.HTTP_STATUS, 503, detail, uri.getPath()))
                .header("Retry-After", "5").build();
    }
}
