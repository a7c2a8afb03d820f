package dev.monkeytown.build.github;

import java.util.HashMap;
import java.util.Map;

/** As {@link GitHubModeBuildsProfile}, with the head poll every second: the backstop for lost push webhooks. */
public class GitHubPushPollProfile extends GitHubModeBuildsProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
        overrides.put("monkeytown.build.github.poll-interval", "1s");
        // longer than any read lag the tests play (5 s), short enough to see a force-push confirmed
        overrides.put("monkeytown.build.github.force-push-settle", "8s");
        return overrides;
    }
}
