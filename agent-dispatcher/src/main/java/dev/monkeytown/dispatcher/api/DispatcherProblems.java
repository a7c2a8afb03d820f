package dev.monkeytown.dispatcher.api;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.monkeytown.dispatcher.dispatch.ChangesNotRecordedException;
import dev.monkeytown.dispatcher.dispatch.DeclarationsNotLoadedException;
import dev.monkeytown.dispatcher.dispatch.DispatcherNotReadyException;
import dev.monkeytown.dispatcher.dispatch.RunAlreadyFinishedException;
import dev.monkeytown.dispatcher.dispatch.UnknownAgentException;
import dev.monkeytown.dispatcher.dispatch.UnknownRunException;
import dev.monkeytown.kit.problem.ProblemResponses;
import dev.monkeytown.kit.problem.ProblemType;
import dev.monkeytown.state.ChangeRejectedException;
import dev.monkeytown.state.StateConflictException;
import dev.monkeytown.state.StateUnavailableException;

/**
 * The dispatcher's refusals as problem+json. Not being able to record a run is a 503 with {@code Retry-After}: the
 * request was fine and nothing was queued, so trying again later is exactly right.
 */
public class DispatcherProblems {

    private static final String RETRY_AFTER_SECONDS = "5";

    @ServerExceptionMapper
    public Response unknownAgent(UnknownAgentException e, UriInfo uri) {
        return ProblemResponses.of(ProblemType.HTTP_STATUS, 404, e.getMessage(), uri.getPath());
    }

    @ServerExceptionMapper
    public Response unknownRun(UnknownRunException e, UriInfo uri) {
        return ProblemResponses.of(ProblemType.HTTP_STATUS, 404, e.getMessage(), uri.getPath());
    }

    @ServerExceptionMapper
    public Response finished(RunAlreadyFinishedException e, UriInfo uri) {
        return ProblemResponses.of(ProblemType.HTTP_STATUS, 409, e.getMessage(), uri.getPath());
    }

    @ServerExceptionMapper
    public Response notLoaded(DeclarationsNotLoadedException e, UriInfo uri) {
        return unavailable(e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response notReady(DispatcherNotReadyException e, UriInfo uri) {
        return unavailable(e.getMessage() + "; nothing was queued or changed, try again shortly", uri);
    }

    @ServerExceptionMapper
    public Response changesNotRecorded(ChangesNotRecordedException e, UriInfo uri) {
        return unavailable(e.getMessage() + "; deliver it again", uri);
    }

    /**
     * A record in the engine's turn was changed on the branch by another writer (an operator's edit, an instance that
     * had not yet stepped down) between being read and recorded: the whole turn was dropped, so this request changed
     * nothing though it may not have named that record, and the engine re-reads the branch. Like a lost race, a 503 to
     * try again: the request was fine.
     */
    @ServerExceptionMapper
    public Response changedMeanwhile(ChangeRejectedException e, UriInfo uri) {
        return unavailable("the run could not be recorded: a record changed on the state branch meanwhile ("
                + e.getMessage() + "); nothing was changed; try again", uri);
    }

    @ServerExceptionMapper
    public Response storeUnavailable(StateUnavailableException e, UriInfo uri) {
        return unavailable("the run could not be recorded, so nothing was queued or changed: the state store is"
                + " unavailable; try again shortly", uri);
    }

    @ServerExceptionMapper
    public Response storeConflict(StateConflictException e, UriInfo uri) {
        return unavailable("the run could not be recorded because the state branch kept changing; nothing was"
                + " changed; try again", uri);
    }

    private static Response unavailable(String detail, UriInfo uri) {
        return Response.fromResponse(ProblemResponses.of(ProblemType.HTTP_STATUS, 503, detail, uri.getPath()))
                .header("Retry-After", RETRY_AFTER_SECONDS).build();
    }
}
