package dev.monkeytown.build.github;

import java.util.HashMap;
import java.util.Map;

/** As {@link GitHubModeBuildsProfile}, with no automatic build allowed a day: every push waits for the next UTC day. */
public class GitHubDailyCapProfile extends GitHubModeBuildsProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
        overrides.put("monkeytown.build.daily-automatic-max", "0");
        return overrides;
    }
}
