package dev.monkeytown.gateway.webhooks;

import java.util.List;
import java.util.Map;

/**
 * Which services consume which GitHub event. An event nobody consumes is still acknowledged (GitHub sends what the hook
 * subscribes to; refusing it would only mark the delivery failed on GitHub's side).
 * <p>
 * Only services with a {@code POST /internal/webhooks/github} are listed: a consumer without one answers 404, which is
 * a delivery not taken, so GitHub would be answered 503 for every such event. build-service learns of pushes by polling
 * the branch heads; list it here when it has one. deploy-service takes {@code deployment_status} (the deployments
 * GitHub Actions runs), {@code workflow_run} (its {@code deploy-<env>.yml} runs) and {@code push} (environments.yaml,
 * automatic deploys).
 */
final class EventConsumers {

    static final String AGENT_DISPATCHER = "agent-dispatcher";
    static final String DEPLOY_SERVICE = "deploy-service";

    /** GitHub's answer-me event, sent when a hook is created: checked like any delivery, forwarded nowhere. */
    static final String PING = "ping";

    private static final Map<String, List<String>> CONSUMERS = Map.of(
            // on-change agent triggers, declaration refresh, business metrics (commits and files on the default branch)
            "push", List.of(AGENT_DISPATCHER, DEPLOY_SERVICE),
            // business metrics: pull requests opened and merged
            "pull_request", List.of(AGENT_DISPATCHER),
            // progress of agent runs and deploy-<env>.yml runs on the github-actions runner
            "workflow_run", List.of(AGENT_DISPATCHER, DEPLOY_SERVICE), "workflow_job", List.of(AGENT_DISPATCHER),
            // the deployments GitHub Actions makes for deploy-<env>.yml jobs
            "deployment_status", List.of(DEPLOY_SERVICE));

    private EventConsumers() {
    }

    static List<String> of(String event) {
        return CONSUMERS.getOrDefault(event, List.of());
    }

    /** Events worth their own metric tag; anything else is {@code other}, so a forged header cannot mint new series. */
    static String metricTag(String event) {
        return event != null && (CONSUMERS.containsKey(event) || PING.equals(event)) ? event : "other";
    }
}
