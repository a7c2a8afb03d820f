package dev.monkeytown.deploy.api;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.monkeytown.deploy.service.DeployMode;
import dev.monkeytown.kit.problem.ProblemResponses;
import dev.monkeytown.kit.problem.ProblemType;

/**
 * Where this instance does not deploy ({@link DeployMode}), the deployments API (not the alerts) answers 501 problem+json
 * saying why, before any resource (and the local machinery it needs) is created. After the internal-token check.
 */
public class DeploymentsNotRunHere {

    private final DeployMode mode;

    DeploymentsNotRunHere(DeployMode mode) {
        this.mode = mode;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION + 100)
    public Response refuseWhereDeploymentsAreNotRun(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        // the alerts are received and listed in every mode
        if (mode.deploys() || !path.startsWith("/api/v1/") || path.startsWith("/api/v1/alerts")) {
            return null;
        }
        return ProblemResponses.of(ProblemType.HTTP_STATUS, 501, mode.whyNot(), path);
    }
}
