package dev.monkeytown.gateway.webhooks;

import java.util.List;
import java.util.Map;

/**
 * Which services consume which GitHub event. An event nobody consumes is still acknowledged (GitHub sends what the hook
 * subscribes to; refusing it would only mark the delivery failed on GitHub's side).
 * <p>
 * Only services with a {@code POST /internal/webhooks/github} are listed: a consumer without one answers 404, which is
 * a delivery not taken, so GitHub would be answered 503 for every such event. build-service consumes {@code push}
 * (automatic builds of the branches pipelines declare) and {@code workflow_run} (its attempts' workflow runs); it does
 * not need {@code workflow_job}, whose runs' outcome {@code workflow_run} already carries. deploy-service takes
 * {@code deployment_status} (the deployments GitHub Actions runs), {@code workflow_run} (its {@code deploy-<env>.yml}
 * runs) and {@code push} (environments.yaml, automatic deploys).
 */
final class EventConsumers {

    static final String AGENT_DISPATCHER = "agent-dispatcher";
    static final String BUILD_SERVICE = "build-service";
    static final String DEPLOY_SERVICE = "deploy-service";

    /** GitHub's answer-me event, sent when a hook is created: checked like any delivery, forwarded nowhere. */
    static final String PING = "ping";

    private static final Map<String, List<String>> CONSUMERS = Map.of(
            // on-change agent triggers, declaration refresh, business metrics (commits and files on the default
            // branch); automatic builds and builds.yaml refresh; environments.yaml refresh and automatic deploys
            "push", List.of(AGENT_DISPATCHER, BUILD_SERVICE, DEPLOY_SERVICE),
            // business metrics: pull requests opened and merged
            "pull_request", List.of(AGENT_DISPATCHER),
            // progress of agent runs, build attempts and deploy-<env>.yml runs on the github-actions runner
            "workflow_run", List.of(AGENT_DISPATCHER, BUILD_SERVICE, DEPLOY_SERVICE), "workflow_job",
            List.of(AGENT_DISPATCHER),
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
