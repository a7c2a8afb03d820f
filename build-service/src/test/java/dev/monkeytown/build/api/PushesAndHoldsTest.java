package dev.monkeytown.build.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.monkeytown.events.Event;
import dev.monkeytown.events.EventLog;
import dev.monkeytown.kit.testing.Management;

/**
 * A commit to the local repository's main branch queues the pipelines building main; the checks pipeline, made to
 * fail, holds after three failed builds, raises the critical alert, and an operator's unhold is recorded.
 */
@QuarkusTest
@QuarkusTestResource(RegistryResource.class)
class PushesAndHoldsTest {

    @Inject
    EventLog events;

    @org.junit.jupiter.api.BeforeEach
    void asTheGateway() {
        InternalCaller.install();
        // ready = the watched heads are decided: a commit from now on is a push, never the starting point
        await().atMost(60, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS)
                .until(() -> Management.given().get("/q/health/ready").statusCode() == 200);
    }

    @org.junit.jupiter.api.AfterEach
    void plain() {
        InternalCaller.uninstall();
    }

    @Test
    void aPushQueuesBuildsAndThreeFailuresHoldUntilAnUnhold() throws Exception {
        // the test home outlives a run: start from a clean streak (a manual build's success also lifts a hold)
        if (!Integer.valueOf(0).equals(given().get("/api/v1/pipelines/checks").then().extract().path("streak"))) {
            remove("build/FAIL");
            succeedOnce();
        }
        long before = events.head().offset();
        String sha = commit("build/FAIL", "failing on purpose " + java.util.UUID.randomUUID() + "\n");

        // the poll notices main moved: both pipelines building main get an automatic build of the new commit
        for (String pipeline : List.of("site", "checks")) {
            await().atMost(30, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).until(() -> {
                List<Map<String, Object>> builds = given().queryParam("pipeline", pipeline)
                        .queryParam("branch", "main").get("/api/v1/builds").then().statusCode(200).extract()
                        .path("builds");
                return builds.stream().anyMatch(b -> sha.equals(b.get("sha")) && "push".equals(b.get("trigger")));
            });
        }

        // two more failed builds by hand (each retried once, as declared) make three in a row: held
        for (int i = 0; i < 2; i++) {
            given().header("X-Monkeytown-User", "alice").contentType(ContentType.JSON).body("{}")
                    .post("/api/v1/pipelines/checks/builds").then().statusCode(202);
        }
        await().atMost(120, TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS)
                .until(() -> given().get("/api/v1/pipelines/checks").then().statusCode(200).extract()
                        .path("held"), held -> Boolean.TRUE.equals(held));
        given().get("/api/v1/pipelines/checks").then().body("streak", greaterThanOrEqualTo(3))
                .body("branches.find { it.branch == 'main' }.severity", is("critical"));
        given().queryParam("pipeline", "checks").queryParam("state", "failed").get("/api/v1/builds").then()
                // before the hold a failed build was retried once, as declared (a held one is not retried)
                .body("builds.findAll { it.attempts.size() == 2 }.size()", greaterThanOrEqualTo(1))
                .body("builds.findAll { it.attempts.size() == 2 }[0].attempts.failureClass", everyItem(is("build")));

        List<String> types = events.since(before).events().stream().map(Event::type).toList();
        org.hamcrest.MatcherAssert.assertThat(types, hasItem("build.retrying"));
        org.hamcrest.MatcherAssert.assertThat(types, hasItem("build.still-failing"));
        org.hamcrest.MatcherAssert.assertThat(types, hasItem("alert.raised"));
        org.hamcrest.MatcherAssert.assertThat(types, hasItem("build.held"));

        String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        org.hamcrest.MatcherAssert.assertThat(metrics, containsString(
                "monkeytown_build_failure_streak{branch=\"main\",pipeline=\"checks\""));
        org.hamcrest.MatcherAssert.assertThat(metrics, containsString(
                "monkeytown_builds_total{pipeline=\"checks\",result=\"failed\""));
        org.hamcrest.MatcherAssert.assertThat(metrics, containsString("monkeytown_build_attempts_total{class=\"build\""));
        org.hamcrest.MatcherAssert.assertThat(metrics, containsString("monkeytown_build_duration_seconds_bucket"));
        org.hamcrest.MatcherAssert.assertThat(metrics, containsString("monkeytown_builds_queued"));
        org.hamcrest.MatcherAssert.assertThat(metrics, containsString("monkeytown_builds_today"));

        // an operator lifts the hold with a reason; it is recorded with who did it
        given().header("X-Monkeytown-User", "carol").contentType(ContentType.JSON)
                .body("{\"reason\": \"flaky disk, replaced\"}")
                .post("/api/v1/pipelines/checks/branches/main/unhold").then().statusCode(200)
                .body("held", is(false)).body("unholds[-1].by", is("carol"))
                .body("unholds[-1].reason", is("flaky disk, replaced"));
        given().get("/api/v1/pipelines/checks").then().body("held", is(false));
        given().contentType(ContentType.JSON).body("{\"reason\": \"again\"}")
                .post("/api/v1/pipelines/checks/branches/main/unhold").then().statusCode(409);

        // fixed: the file goes, a manual build succeeds, the streak is back to 0
        remove("build/FAIL");
        succeedOnce();
        List<String> after = events.since(before).events().stream().map(Event::type).toList();
        org.hamcrest.MatcherAssert.assertThat(after, hasItem("build.fixed"));
        org.hamcrest.MatcherAssert.assertThat(after, hasItem("alert.cleared"));
    }

    /** A manual build of checks that succeeds, after which its streak on main is 0. */
    private static void succeedOnce() {
        String fixed = given().contentType(ContentType.JSON).body("{}").post("/api/v1/pipelines/checks/builds").then()
                .statusCode(202).extract().path("id");
        await().atMost(90, TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS)
                .until(() -> given().get("/api/v1/builds/" + fixed).then().extract().path("state"),
                        state -> List.of("succeeded", "failed", "timed_out", "cancelled").contains(state));
        given().get("/api/v1/builds/" + fixed).then().body("state", is("succeeded"));
        given().get("/api/v1/pipelines/checks").then().body("streak", is(0)).body("held", is(false));
    }

    private static File repository() {
        return new File(ConfigProvider.getConfig().getValue("monkeytown.state.local-repository", String.class));
    }

    /** Commits on main the way a person pushing to the local repository would (a clone, a push). */
    private static String commit(String path, String content) throws Exception {
        return change(path, content);
    }

    private static void remove(String path) throws Exception {
        change(path, null);
    }

    /** A commit on top of main with the file set (or removed, for null content), moving main: a local push. */
    private static String change(String path, String content) throws Exception {
        try (Git git = Git.open(repository());
                RevWalk walk = new RevWalk(git.getRepository());
                ObjectInserter inserter = git.getRepository().newObjectInserter()) {
            Repository repository = git.getRepository();
            RevCommit head = walk.parseCommit(repository.resolve("refs/heads/main"));
            DirCache tree = DirCache.read(repository.newObjectReader(), head.getTree());
            DirCacheBuilder builder = tree.builder();
            for (int i = 0; i < tree.getEntryCount(); i++) {
                if (!tree.getEntry(i).getPathString().equals(path)) {
                    builder.add(tree.getEntry(i));
                }
            }
            if (content != null) {
                DirCacheEntry entry = new DirCacheEntry(path);
                entry.setFileMode(FileMode.REGULAR_FILE);
                entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, content.getBytes(StandardCharsets.UTF_8)));
                builder.add(entry);
            }
            builder.finish();
            PersonIdent person = new PersonIdent("tester", "tester@example.com", Instant.now(), ZoneOffset.UTC);
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(tree.writeTree(inserter));
            commit.setParentId(head);
            commit.setAuthor(person);
            commit.setCommitter(person);
            commit.setMessage("test: " + path + "\n");
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            RefUpdate update = repository.updateRef("refs/heads/main");
            update.setExpectedOldObjectId(head);
            update.setNewObjectId(id);
            RefUpdate.Result result = update.update();
            if (result != RefUpdate.Result.FAST_FORWARD) {
                throw new IllegalStateException("could not move main: " + result);
            }
            return id.name();
        }
    }
}
