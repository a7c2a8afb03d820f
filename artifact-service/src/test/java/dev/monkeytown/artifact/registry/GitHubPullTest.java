package dev.monkeytown.artifact.registry;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import dev.monkeytown.artifact.github.GitHubRegistryProfile;

/** {@link PullTest} on the GitHub backend: records on the branch through the double, blobs through its LFS batch API. */
@QuarkusTest
@TestProfile(GitHubRegistryProfile.class)
class GitHubPullTest extends PullTest {
}
