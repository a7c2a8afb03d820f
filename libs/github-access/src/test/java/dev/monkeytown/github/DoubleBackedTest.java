package dev.monkeytown.github;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.monkeytown.github.testdouble.GitHubDouble;
import dev.monkeytown.github.testdouble.GitObjects;
import dev.monkeytown.github.testdouble.HostedRepository;

/** A client against a fresh double, with short waits; every test ends with no request GitHub would have refused. */
abstract class DoubleBackedTest {

    static final String TOKEN = "ghp_test0123456789secret";
    static final String REF_PATH = "/repos/acme/town/git/ref/heads/main";

    final GitHubDouble github = GitHubDouble.start();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    GitHubAccess client(WritePacing pacing, Duration unavailableAfter) throws IOException {
        return client(pacing, unavailableAfter, registry);
    }

    /** Another process with the same token (a service, a replica): its own metrics, GitHub's budgets shared. */
    GitHubAccess client(WritePacing pacing, Duration unavailableAfter, MeterRegistry metrics) throws IOException {
        GitHubAccessOptions options = GitHubAccessOptions.forApi(github.apiUrl(), github.login()).withPacing(pacing)
                .withUnavailableAfter(unavailableAfter).withRequestTimeout(Duration.ofSeconds(2));
        return GitHubAccess.connect(TOKEN, options, metrics);
    }

    GitHubAccess client() throws IOException {
        return client(WritePacing.unpaced(), Duration.ofSeconds(5));
    }

    String seedMain() {
        HostedRepository repo = github.repository("acme", "town");
        GitObjects objects = repo.objects();
        String tree = objects.writeTree(Map.of("queue.json", objects.writeBlob("[]".getBytes()).sha())).sha();
        GitObjects.Person bot = new GitObjects.Person("bot", "bot@example.com", 0);
        String commit = objects.writeCommit(tree, List.of(), bot, bot, "seed").sha();
        repo.forceRef("refs/heads/main", commit);
        return commit;
    }

    double requests(String kind, String outcome) {
        var counter = registry.find("monkeytown.github.requests").tags("kind", kind, "outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    @AfterEach
    void noRequestGitHubWouldRefuse() {
        github.closeRequiringValidRequests();
    }
}
