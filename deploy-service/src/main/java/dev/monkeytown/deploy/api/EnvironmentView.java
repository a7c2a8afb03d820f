package dev.monkeytown.deploy.api;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.monkeytown.deploy.deployments.Deployment;
import dev.monkeytown.deploy.deployments.EnvironmentStatus;
import dev.monkeytown.deploy.deployments.Ledger;
import dev.monkeytown.deploy.engine.EngineView;
import dev.monkeytown.deploy.environment.Environment;

/**
 * An environment as the API shows it: its declaration, what it runs now ({@code current}), its last good deployment,
 * the deployment holding it, whether automatic deploys are paused, and its success rate over 7 and 30 days (absent
 * while nothing ran to an end in the window).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnvironmentView(String name, String branch, boolean autoDeploy, boolean production, boolean approval,
        List<String> requires, String command, String health, String onFailure, String environmentBranch,
        Deployment current, Deployment lastGood, Deployment active, boolean paused, EnvironmentStatus.Pause pause,
        SuccessRate successRate) {

    public record SuccessRate(Double days7, Double days30) {
    }

    static EnvironmentView of(Environment environment, EngineView view, Instant now) {
        Ledger ledger = view.ledger(environment.name());
        EnvironmentStatus status = view.status(environment.name());
        return new EnvironmentView(environment.name(), environment.branch(), environment.autoDeploy(),
                environment.production(), environment.approval(), environment.requires(), environment.command(),
                environment.health().orElse(null), environment.onFailure().jsonName(),
                environment.environmentBranch(), ledger.current().orElse(null), ledger.lastGood().orElse(null),
                ledger.active().orElse(null), status.isPaused(), status.paused(),
                new SuccessRate(ledger.successRate(now.minus(java.time.Duration.ofDays(7))).orElse(null),
                        ledger.successRate(now.minus(java.time.Duration.ofDays(30))).orElse(null)));
    }
}
