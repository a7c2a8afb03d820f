package dev.monkeytown.deploy.alerts;

import java.time.Clock;

import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;

import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.state.StateBranch;
import dev.monkeytown.state.quarkus.GitHubConfig;
import dev.monkeytown.state.quarkus.StateStoreConfig;

/**
 * Decides once, at start, where alerts are tracked — from the state backend, as {@code DeployMode} does: in GitHub mode
 * as issues of the Monkeytown repository through the service's one GitHub client (the state store's pacing and budget),
 * locally on the state branch only. Both record every alert on {@code monkeytown/state/deploy-service}.
 */
@Singleton
public class AlertBeans {

    @Produces
    @Singleton
    IssueTracker issues(StateStoreConfig state, GitHubConfig github, Instance<GitHubAccess> access,
            AlertsConfig config, ObjectMapper json) {
        if (state.backend() != StateStoreConfig.Backend.GITHUB) {
            Log.info("Alerts are recorded on the state branch only (local backend: no GitHub issues)");
            return IssueTracker.RECORDS_ONLY;
        }
        String repository = github.repository().orElseThrow(() -> new IllegalStateException(
                "monkeytown.state.backend=github needs monkeytown.github.repository for alert issues"));
        Log.infof("Alerts become issues labelled %s in %s (at most %d opened an hour)", config.label(), repository,
                config.issuesPerHour());
        return new GitHubIssues(access.get(), repository, config.label(), json);
    }

    @Produces
    @Singleton
    AlertDesk desk(StateBranch branch, IssueTracker issues, AlertsConfig config, AlertMetrics metrics,
            ObjectMapper json) {
        return new AlertDesk(branch, issues, config.issuesPerHour(), metrics, json, config.keepResolved(),
                Clock.systemUTC());
    }
}
