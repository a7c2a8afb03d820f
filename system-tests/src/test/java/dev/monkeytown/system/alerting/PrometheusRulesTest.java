package dev.monkeytown.system.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The alert rules, their promtool unit tests, the Alertmanager routing and the Kubernetes copy of the rules, checked
 * with the real tools (Debian {@code prometheus} and {@code prometheus-alertmanager}; {@code ./monkeytown test} installs them).
 * A missing tool fails the test: an alert rule nobody ran is the defect this test exists to catch.
 */
class PrometheusRulesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void rulesAreValidAndEveryPromtoolUnitTestPasses() throws Exception {
        Tool.PROMTOOL.run(Paths.PROMETHEUS, "check", "rules", Paths.RULES.toString()).assertSucceeded();
        List<String> command = new ArrayList<>(List.of("test", "rules"));
        unitTestFiles().forEach(f -> command.add(f.toString()));
        Tool.PROMTOOL.run(Paths.PROMETHEUS, command.toArray(String[]::new)).assertSucceeded();
    }

    @Test
    void everyAlertIsUnitTestedAndHasARunbookSection() throws Exception {
        Set<String> alerts = alertNames();
        // the spec's thresholds (Alerting, Scaling Triggers) and the GitHub budget, each one alert name
        assertTrue(alerts.containsAll(Set.of("SiteDown", "BuildFailure", "SecurityBreachDetected", "DataLossDetected",
                "ErrorRateHigh", "LatencyHigh", "DiskUsageHigh", "AgentQueueDepth", "BuildQueueDepth", "StorageUsed",
                "ApiRequestsPerDay", "GitHubBudgetForecast")), "a spec threshold has no alert: " + alerts);

        Set<String> tested = new TreeSet<>();
        for (Path file : unitTestFiles()) {
            for (JsonNode test : YAML.readTree(file.toFile()).path("tests")) {
                for (JsonNode check : test.path("alert_rule_test")) {
                    if (check.path("exp_alerts").size() > 0) {
                        tested.add(check.path("alertname").asText());
                    }
                }
            }
        }
        Set<String> untested = new TreeSet<>(alerts);
        untested.removeAll(tested);
        assertEquals(Set.of(), untested, "alerts with no promtool test that sees them fire");

        String operations = Files.readString(Paths.ROOT.resolve("docs/operations.md"));
        Set<String> headings = new TreeSet<>();
        Matcher heading = Pattern.compile("(?m)^#{2,4} (\\S+)").matcher(operations);
        while (heading.find()) {
            headings.add(heading.group(1).toLowerCase());
        }
        for (JsonNode rule : rules()) {
            if (rule.has("alert")) {
                String runbook = rule.path("annotations").path("runbook").asText();
                assertEquals("docs/operations.md#" + rule.path("alert").asText().toLowerCase(), runbook,
                        rule.path("alert").asText() + ": runbook link");
                assertTrue(headings.contains(rule.path("alert").asText().toLowerCase()),
                        "docs/operations.md has no section '### " + rule.path("alert").asText() + "'");
                assertTrue(Set.of("critical", "warning").contains(rule.path("labels").path("severity").asText()),
                        rule.path("alert").asText() + ": severity must be critical or warning");
            }
        }
    }

    @Test
    void alertmanagerConfigIsValidAndRoutesAsTheSpecSays() throws Exception {
        Path config = Paths.PROMETHEUS.resolve("alertmanager/alertmanager.yml");
        Tool.AMTOOL.run(Paths.PROMETHEUS, "check-config", config.toString()).assertSucceeded();
        // critical: chat at once; warning: the daily digest; both: a GitHub issue. --verify.receivers fails otherwise.
        routes(config, "github-issues,chat", "alertname=SiteDown", "severity=critical");
        routes(config, "github-issues,email-digest", "alertname=LatencyHigh", "severity=warning");
        routes(config, "github-issues", "alertname=Watchdog");
    }

    @Test
    void kubernetesPrometheusRuleIsTheRulesFileAsGenerated(@TempDir Path temp) throws Exception {
        Path checkedIn = Paths.ROOT.resolve("deploy/kubernetes/monitoring/prometheusrule.yaml");
        Path generated = temp.resolve("prometheusrule.yaml");
        Tool.run(Paths.ROOT, List.of(Paths.PROMETHEUS.resolve("generate-prometheusrule").toString(),
                generated.toString())).assertSucceeded();
        assertEquals(Files.readString(generated), Files.readString(checkedIn),
                "prometheusrule.yaml is stale: run deploy/prometheus/generate-prometheusrule");

        JsonNode rule = YAML.readTree(checkedIn.toFile());
        assertEquals("monitoring.coreos.com/v1", rule.path("apiVersion").asText());
        assertEquals("PrometheusRule", rule.path("kind").asText());
        assertEquals(YAML.readTree(Paths.RULES.toFile()).path("groups"), rule.path("spec").path("groups"),
                "the PrometheusRule's groups differ from the rules file's");
    }

    private static void routes(Path config, String receivers, String... labels) throws Exception {
        List<String> command = new ArrayList<>(List.of("config", "routes", "test", "--config.file=" + config,
                "--verify.receivers=" + receivers));
        command.addAll(List.of(labels));
        Tool.AMTOOL.run(Paths.PROMETHEUS, command.toArray(String[]::new)).assertSucceeded();
    }

    static Set<String> alertNames() throws IOException {
        Set<String> names = new TreeSet<>();
        for (JsonNode rule : rules()) {
            if (rule.has("alert")) {
                names.add(rule.path("alert").asText());
            }
        }
        return names;
    }

    private static List<JsonNode> rules() throws IOException {
        List<JsonNode> rules = new ArrayList<>();
        YAML.readTree(Paths.RULES.toFile()).path("groups").forEach(g -> g.path("rules").forEach(rules::add));
        return rules;
    }

    private static List<Path> unitTestFiles() throws IOException {
        try (Stream<Path> files = Files.list(Paths.PROMETHEUS.resolve("tests"))) {
            List<Path> tests = files.filter(f -> f.getFileName().toString().endsWith(".test.yaml")).sorted().toList();
            assertTrue(tests.size() > 0, "no promtool unit tests under deploy/prometheus/tests");
            return tests;
        }
    }
}
