package dev.monkeytown.build.queue;

/** Why a build that is not running yet is still waiting; shown with the build in the API. */
public enum WaitReason {
    BRANCH_BUSY("another build of this pipeline and branch is in progress"), HELD(
            "the pipeline is held on this branch after consecutive failures: automatic builds wait for an unhold or a"
                    + " successful manual build"), DAILY_CAP(
                            "today's automatic builds reached the daily maximum; it starts after 00:00 UTC (manual builds still run)"), PARALLELISM(
                                    "every build slot is busy"), BACKOFF("waiting out the retry backoff"), PIPELINE_UNKNOWN(
                                            "its pipeline is no longer declared in .monkeytown/builds.yaml");

    private final String detail;

    WaitReason(String detail) {
        this.detail = detail;
    }

    public String detail() {
        return detail;
    }
}
