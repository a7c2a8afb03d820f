package dev.monkeytown.deploy.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import dev.monkeytown.kit.testing.Management;

/**
 * The service as the gateway reaches it, on the seeded repository with the real local runner: staging deploys the site
 * build of the seeded commit by itself; a broken build of a newer commit fails its health check and is reverted to the
 * last good tree (the environment branch and the {@code current} link say so) and automatic deploys pause; production
 * waits for an operator's approval; bad input is a 4xx problem that changes nothing.
 */
@QuarkusTest
@QuarkusTestResource(BuildServiceDouble.class)
class DeploymentsApiTest {

    private static final Path HOME = Path.of("target/test-home");
    private static final Path REPO = Path.of(org.eclipse.microprofile.config.ConfigProvider.getConfig()
            .getValue("monkeytown.state.local-repository", String.class));

    @BeforeEach
    void callAsTheGateway() {
        io.restassured.RestAssured.requestSpecification = new io.restassured.builder.RequestSpecBuilder()
                .addHeader(BuildServiceDouble.TOKEN_HEADER, BuildServiceDouble.TEST_TOKEN).build();
    }

    @AfterEach
    void uninstall() {
        io.restassured.RestAssured.requestSpecification = null;
    }

    @Test
    void aBuildDeploysABrokenOneIsRevertedAndProductionWaitsForApproval() throws Exception {
        given().when().get("/api/v1/environments").then().statusCode(200)
                .body("environments.name", hasItems("production", "staging")).body("problems.size()", is(0));
        RevCommit a = head("main");
        BuildServiceDouble.succeeded("B-good", a.name(), a.getTree().name(), page(a.name(), true));

        // staging follows main: the seeded commit's site build is deployed and passes health
        JsonPath staging = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> environment("staging"), e -> "success".equals(e.getString("current.state")));
        String good = staging.getString("current.id");
        assertEquals(a.name(), staging.getString("current.sha"));
        assertEquals("deploy-service", staging.getString("current.requestedBy"));
        assertEquals(good, staging.getString("lastGood.id"));
        Path env = HOME.resolve("environments/staging");
        assertEquals(Path.of("releases/" + good), Files.readSymbolicLink(env.resolve("current")));
        assertEquals(page(a.name(), true), Files.readString(env.resolve("current/index.html")));
        assertEquals(a.getTree().name(), head("environments/staging").getTree().name());
        given().when().get("/api/v1/deployments/" + good + "/log?step=health").then().statusCode(200)
                .body(containsString("healthy: staging serves " + a.name()));

        // a broken build of a newer commit: deployed, fails health, reverted to the last good tree, auto-deploy paused
        RevCommit b = commit("NEWS.md", "# News\n");
        BuildServiceDouble.succeeded("B-broken", b.name(), b.getTree().name(), page(b.name(), false));
        JsonPath reverted = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> environment("staging"), e -> "revert".equals(e.getString("current.kind"))
                        && "success".equals(e.getString("current.state")));
        String revert = reverted.getString("current.id");
        assertTrue(reverted.getBoolean("paused"));
        assertEquals("reverted", reverted.getString("pause.reason"));
        assertEquals(a.name(), reverted.getString("current.sha"));
        assertEquals(good, reverted.getString("current.lastGood"));
        String broken = reverted.getString("current.revertOf");
        given().when().get("/api/v1/deployments/" + broken).then().statusCode(200).body("state", is("failure"))
                .body("sha", is(b.name())).body("revertedBy", is(revert));
        RevCommit envHead = head("environments/staging");
        assertEquals(a.getTree().name(), envHead.getTree().name(), "the environment ref holds the last good tree");
        assertTrue(envHead.getFullMessage().startsWith("Revert staging to " + a.name() + " (deployment " + revert
                + ")"));
        assertEquals(Path.of("releases/" + revert), Files.readSymbolicLink(env.resolve("current")));
        String goodManifest = "builds/site@" + BuildServiceDouble.manifest("B-good");
        await().atMost(Duration.ofSeconds(10)).until(() -> JsonPath.from(BuildServiceDouble.references("staging")),
                told -> List.of(goodManifest).equals(told.getList("current"))
                        && List.of(goodManifest).equals(told.getList("lastGood")));
        assertEquals(page(a.name(), true), Files.readString(env.resolve("current/index.html")));
        Thread.sleep(2500); // two polls: the bad commit is not deployed again
        List<String> shas = given().when().get("/api/v1/deployments?environment=staging").then().statusCode(200)
                .extract().jsonPath().getList("deployments.sha");
        assertEquals(1, shas.stream().filter(b.name()::equals).count(), shas.toString());
        given().contentType(ContentType.JSON).body(Map.of("sha", b.name())).when()
                .post("/api/v1/environments/staging/deployments").then().statusCode(409)
                .contentType(startsWith("application/problem+json")).body("detail", containsString("paused"));

        // production waits for an operator
        String production = given().contentType(ContentType.JSON).body(Map.of("sha", a.name()))
                .header("X-Monkeytown-User", "alice").when()
                .post("/api/v1/environments/production/deployments").then().statusCode(202)
                .header("Location", containsString("/api/v1/deployments/")).body("state", is("queued"))
                .body("requestedBy", is("alice")).extract().path("id");
        await().atMost(Duration.ofSeconds(10)).until(() -> given().when().get("/api/v1/deployments/" + production)
                .then().extract().path("state"), is("waiting"));
        given().contentType(ContentType.JSON).body(Map.of()).when()
                .post("/api/v1/deployments/" + production + "/approve").then().statusCode(400);
        // an approval is a person's: a call that names nobody (or no valid name) decides nothing
        for (String nobody : List.of("", "bob smith", "x".repeat(65))) {
            given().contentType(ContentType.JSON).body(Map.of("reason", "who knows")).header("X-Monkeytown-User", nobody)
                    .when().post("/api/v1/deployments/" + production + "/approve").then().statusCode(403)
                    .contentType(startsWith("application/problem+json"));
        }
        given().contentType(ContentType.JSON).body(Map.of("reason", "who knows")).when()
                .post("/api/v1/deployments/" + production + "/reject").then().statusCode(403)
                .contentType(startsWith("application/problem+json"));
        assertEquals("waiting", given().when().get("/api/v1/deployments/" + production).then().extract()
                .path("state"));
        given().contentType(ContentType.JSON).body(Map.of("reason", "release 1")).header("X-Monkeytown-User", "bob")
                .when().post("/api/v1/deployments/" + production + "/approve").then().statusCode(200)
                .body("approval.by", is("bob")).body("approval.reason", is("release 1"));
        await().atMost(Duration.ofSeconds(30)).until(() -> given().when().get("/api/v1/deployments/" + production)
                .then().extract().path("state"), is("success"));

        // refusals an operator can act on: 409 problems, nothing changed
        given().contentType(ContentType.JSON).body(Map.of()).header("X-Monkeytown-User", "bob").when()
                .post("/api/v1/environments/production/revert").then().statusCode(409)
                .contentType(startsWith("application/problem+json"));
        given().contentType(ContentType.JSON).body(Map.of("reason", "go")).header("X-Monkeytown-User", "bob").when()
                .post("/api/v1/environments/production/resume").then().statusCode(409)
                .contentType(startsWith("application/problem+json")).body("detail", containsString("not paused"));
        String held = given().contentType(ContentType.JSON).body(Map.of("sha", a.name()))
                .header("X-Monkeytown-User", "alice").when()
                .post("/api/v1/environments/production/deployments").then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(10)).until(() -> given().when().get("/api/v1/deployments/" + held)
                .then().extract().path("state"), is("waiting"));
        given().contentType(ContentType.JSON).body(Map.of("to", production)).header("X-Monkeytown-User", "bob")
                .when().post("/api/v1/environments/production/revert").then().statusCode(409)
                .contentType(startsWith("application/problem+json")).body("detail", containsString(held));
        given().contentType(ContentType.JSON).body(Map.of("reason", "not now")).header("X-Monkeytown-User", "bob")
                .when().post("/api/v1/deployments/" + held + "/reject").then().statusCode(200);
        assertEquals(production, environment("production").getString("current.id"), "no refusal changed anything");

        String metrics = Management.given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract()
                .asString();
        assertTrue(metrics.contains("monkeytown_deployments_total{environment=\"staging\",kind=\"revert\","
                + "result=\"success\""), metrics);
        assertTrue(metrics.contains("monkeytown_deploy_success_rate{environment=\"staging\""), metrics);
        assertTrue(metrics.matches("(?s).*monkeytown_deploy_duration_seconds_count\\{environment=\"staging\"[^}]*} "
                + "[1-9].*"), "deploy duration recorded: " + metrics);
        assertTrue(metrics.matches("(?s).*monkeytown_deploy_time_to_restore_seconds_count\\{environment=\"staging\""
                + "[^}]*} 1\\.0.*"), "time to restore recorded once, for the one revert: " + metrics);
        assertTrue(metrics.matches("(?s).*\nmonkeytown_environments_paused(\\{[^}]*})? 1\\.0\n.*"),
                "staging is paused after its revert: " + metrics);
    }

    @Test
    void badInputIsAProblemAndChangesNothing() throws Exception {
        int before = given().when().get("/api/v1/deployments?limit=200").then().statusCode(200).extract()
                .jsonPath().getList("deployments").size();
        String zeros = "0".repeat(40);
        // the id of a tree, not of a commit: a client's mistake, never "the repository could not be read"
        String tree = head("main").getTree().name();
        for (Object body : List.of(Map.of(), Map.of("sha", "abc"), Map.of("sha", zeros), Map.of("sha", tree),
                Map.of("sha", zeros, "buildId", "x"), Map.of("sah", zeros), Map.of("buildId", "no-such-build"),
                List.of("sha"))) {
            given().contentType(ContentType.JSON).body(body).when().post("/api/v1/environments/staging/deployments")
                    .then().statusCode(400).contentType(startsWith("application/problem+json"));
        }
        given().contentType(ContentType.JSON).body(Map.of("sha", zeros)).when()
                .post("/api/v1/environments/nowhere/deployments").then().statusCode(404)
                .contentType(startsWith("application/problem+json"));
        given().contentType(ContentType.JSON).body(Map.of("reason", "x")).when()
                .post("/api/v1/deployments/nope/approve").then().statusCode(404);
        given().contentType(ContentType.JSON).body(Map.of()).when().post("/api/v1/environments/staging/pause")
                .then().statusCode(400);
        given().contentType(ContentType.JSON).body(Map.of("to", "nope")).when()
                .post("/api/v1/environments/production/revert").then().statusCode(404);
        given().when().get("/api/v1/deployments?limit=0").then().statusCode(400);
        given().when().get("/api/v1/deployments?state=bogus").then().statusCode(400)
                .body("detail", containsString("queued"));
        given().when().get("/api/v1/deployments?cursor=zz").then().statusCode(400);
        given().when().get("/api/v1/environments/nowhere").then().statusCode(404);
        given().when().get("/api/v1/deployments/nope/log").then().statusCode(404);
        assertEquals(before, given().when().get("/api/v1/deployments?limit=200").then().statusCode(200).extract()
                .jsonPath().getList("deployments").size());
    }

    @Test
    void withoutTheInternalTokenNothingIsAnswered() {
        io.restassured.RestAssured.requestSpecification = null;
        given().when().get("/api/v1/environments").then().statusCode(401);
    }

    private static JsonPath environment(String name) {
        return given().when().get("/api/v1/environments/" + name).then().statusCode(200).extract().jsonPath();
    }

    private static RevCommit head(String branch) throws Exception {
        try (Git git = Git.open(REPO.toFile()); RevWalk walk = new RevWalk(git.getRepository())) {
            Repository repository = git.getRepository();
            return walk.parseCommit(repository.resolve("refs/heads/" + branch));
        }
    }

    /** A commit on top of main with the file set, moving main by compare-and-swap: a local push. */
    private static RevCommit commit(String path, String content) throws Exception {
        try (Git git = Git.open(REPO.toFile());
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
            DirCacheEntry entry = new DirCacheEntry(path);
            entry.setFileMode(FileMode.REGULAR_FILE);
            entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, content.getBytes(StandardCharsets.UTF_8)));
            builder.add(entry);
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
            assertEquals(RefUpdate.Result.FAST_FORWARD, update.update());
            return walk.parseCommit(id);
        }
    }

    static String page(String sha, boolean whole) {
        String page = "<!doctype html>\n<title>Monkeytown at " + sha + "</title>\n<h1>Monkeytown</h1>\n<ul>\n"
                + "  <li>README.md — Monkeytown</li>\n";
        return whole ? page + "</ul>\n" : page;
    }
}
