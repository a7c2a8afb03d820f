package dev.monkeytown.build.github;

import java.util.HashMap;
import java.util.Map;

/**
 * As {@link GitHubModeBuildsProfile}, with production's reconciliation interval (60 s): webhooks carry the progress,
 * as they do on GitHub, so the cost measured is a build's and not the test profile's hurried reconciliation.
 */
public class GitHubBuildCostProfile extends GitHubModeBuildsProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
        overrides.put("monkeytown.build.reconcile-interval", "60s");
        return overrides;
    }
}
