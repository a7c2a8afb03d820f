package dev.monkeytown.deploy.github;

import java.util.HashMap;
import java.util.Map;

/**
 * GitHub mode with reconciliation once an hour: after the one at startup, nothing reads a deployment back from GitHub
 * within a test, so whatever moves a record there was moved by a webhook.
 */
public class SlowReconciliationProfile extends GitHubModeProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
        overrides.put("monkeytown.deploy.github.reconcile-interval", "1h");
        return overrides;
    }
}
