package dev.monkeytown.build.api;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.monkeytown.build.engine.BuildRefusedException;
import dev.monkeytown.kit.problem.ProblemResponses;
import dev.monkeytown.kit.problem.ProblemType;
import dev.monkeytown.state.ChangeRejectedException;
import dev.monkeytown.state.StateConflictException;
import dev.monkeytown.state.StateUnavailableException;

/**
 * The engine's refusals as problem+json. Not being able to record a build is a 503 with {@code Retry-After}: nothing
 * was queued or changed, so trying again later is exactly right.
 */
public class BuildProblems {

    @ServerExceptionMapper
    public Response refused(BuildRefusedException e, UriInfo uri) {
        int status = e instanceof BuildRefusedException.UnknownPipeline ? 404 : 409;
        return ProblemResponses.of(ProblemType.HTTP_STATUS, status, e.getMessage(), uri.getPath());
    }

    /**
     * A record in the engine's turn was changed on the branch by another writer (an operator's edit, an instance that
     * had not yet stepped down) between being read and recorded: the whole turn was dropped, so this request changed
     * nothing though it may not have named that record, and the engine re-reads the branch. Like a lost race, a 503 to
     * try again: the request was fine.
     */
    @ServerExceptionMapper
    public Response changedMeanwhile(ChangeRejectedException e, UriInfo uri) {
        return unavailable("the build could not be recorded: a record changed on the state branch meanwhile ("
                + e.getMessage() + "); nothing was changed; try again", uri);
    }

    @ServerExceptionMapper
    public Response storeUnavailable(StateUnavailableException e, UriInfo uri) {
        return unavailable("the build could not be recorded, so nothing was queued or changed: the state store is"
                + " unavailable; try again shortly", uri);
    }

    @ServerExceptionMapper
    public Response storeConflict(StateConflictException e, UriInfo uri) {
        return unavailable("the build could not be recorded because the state branch kept changing; nothing was"
                + " changed; try again", uri);
    }

    static Response unavailable(String detail, UriInfo uri) {
        return Response.fromResponse(ProblemResponses.of(ProblemType.HTTP_STATUS, 503, detail, uri.getPath()))
                .header("Retry-After", "5").build();
    }
}
