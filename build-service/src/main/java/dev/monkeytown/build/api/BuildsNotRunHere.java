package dev.monkeytown.build.api;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.monkeytown.build.service.BuildsMode;
import dev.monkeytown.kit.problem.ProblemResponses;
import dev.monkeytown.kit.problem.ProblemType;

/**
 * Where this instance does not run builds ({@link BuildsMode}), the builds API answers 501 problem+json saying why,
 * before any resource (and the local machinery it needs) is created. After the internal-token check.
 */
public class BuildsNotRunHere {

    private final BuildsMode mode;

    BuildsNotRunHere(BuildsMode mode) {
        this.mode = mode;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION + 100)
    public Response refuseWhereBuildsAreNotRun(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (mode.runsBuilds() || !path.startsWith("/api/v1/")) {
            return null;
        }
        return ProblemResponses.of(ProblemType.HTTP_STATUS, 501, mode.whyNot(), path);
    }
}
