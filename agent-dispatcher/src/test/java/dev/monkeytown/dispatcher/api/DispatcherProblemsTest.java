package dev.monkeytown.dispatcher.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.junit.jupiter.api.Test;

import dev.monkeytown.kit.problem.Problem;
import dev.monkeytown.state.ChangeRejectedException;

class DispatcherProblemsTest {

    /**
     * A run changed on the branch by another writer between read and record reaches the caller as this exception
     * (the engine's tests show it); it was a 500 before, although the request was fine and nothing was changed; the turn it was in was
     * dropped whole, so the answer is the one for a lost race: try again.
     */
    @Test
    void aRecordChangedMeanwhileIsARetryNotAServerError() {
        Response answer = new DispatcherProblems().changedMeanwhile(
                new ChangeRejectedException("run x is at revision 6 on the branch, not 1: another writer changed it"),
                uriInfo("/api/v1/runs/r1/cancel"));

        assertEquals(503, answer.getStatus());
        assertEquals("5", answer.getHeaderString("Retry-After"));
        assertEquals("application/problem+json", answer.getMediaType().toString());
        Problem problem = (Problem) answer.getEntity();
        assertTrue(problem.detail().contains("nothing was changed"), problem.detail());
        assertEquals("/api/v1/runs/r1/cancel", problem.instance());
    }

    private static UriInfo uriInfo(String path) {
        return (UriInfo) Proxy.newProxyInstance(UriInfo.class.getClassLoader(), new Class<?>[]{UriInfo.class},
                (proxy, method, args) -> method.getName().equals("getPath") ? path : null);
    }
}
