package dev.monkeytown.kit.problem;

import jakarta.ws.rs.core.Response;

/** Builds the {@link Response} that carries a {@link Problem}, with the right media type. */
public final class ProblemResponses {

    private ProblemResponses() {
    }

    public static Response of(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    public static Response of(ProblemType type, int status, String detail, String instance) {
        return of(Problem.of(type, status, detail, instance));
    }
}
