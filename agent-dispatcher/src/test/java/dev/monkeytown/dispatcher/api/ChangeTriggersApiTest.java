package dev.monkeytown.dispatcher.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

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

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

import dev.monkeytown.github.testdouble.WebhookExamples;
import dev.monkeytown.kit.testing.Management;

/**
 * On-change runs, both ways a change arrives: a commit to the local repository's default branch (the embedded
 * default notices the head moving), and a {@code push} webhook as the gateway forwards it (GitHub mode).
 */
@QuarkusTest
class ChangeTriggersApiTest {

    @Test
    void aCommitUnderDocsOnTheDefaultBranchRunsTheAgentWatchingDocs() throws Exception {
        String path = "docs/note-" + UUID.randomUUID() + ".md";

        commitToMain(path, "a new document\n");

        await().atMost(30, TimeUnit.SECONDS).pollInterval(250, TimeUnit.MILLISECONDS)
                .until(() -> docsIndexRunsFor(path), found -> !found.isEmpty());
    }

    @Test
    void aPushWebhookQueuesOnChangeRunsForMatchingPathsOnly() throws Exception {
        String path = "docs/pushed-" + UUID.randomUUID() + ".md";
        String before = mainHead();
        String sha = commitOnMain(path, "pushed\n", false);
        ObjectNode push = WebhookExamples.load("push");
        push.put("ref", "refs/heads/main");
        push.put("before", before); // what the dispatcher has processed: the push's own paths are the change
        push.put("after", sha);
        ObjectNode commit = push.putArray("commits").addObject();
        commit.putArray("added").add(path).add("src/Main.java");
        commit.putArray("modified");
        commit.putArray("removed");

        api().header("X-GitHub-Event", "push").contentType("application/json").body(push.toString())
                .post("/internal/webhooks/github").then().statusCode(202)
                .body("handled", is(true)).body("note", containsString("docs-index"));

        await().atMost(30, TimeUnit.SECONDS).until(() -> docsIndexRunsFor(path), found -> !found.isEmpty());
    }

    @Test
    void pushesToOtherBranchesAndOtherEventsAreAcknowledgedButIgnored() {
        ObjectNode push = WebhookExamples.load("push");
        push.put("ref", "refs/heads/feature");
        api().header("X-GitHub-Event", "push").contentType("application/json").body(push.toString())
                .post("/internal/webhooks/github").then().statusCode(202).body("handled", is(false));
        api().header("X-GitHub-Event", "issues").contentType("application/json").body("{}")
                .post("/internal/webhooks/github").then().statusCode(202).body("handled", is(false));
        api().contentType("application/json").body("{}").post("/internal/webhooks/github").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("X-GitHub-Event"));
        api().header("X-GitHub-Event", "push").contentType("application/json").body("[1,2]")
                .post("/internal/webhooks/github").then().statusCode(400);
        given().header("X-GitHub-Event", "push").contentType("application/json").body("{}")
                .post("/internal/webhooks/github").then().statusCode(401);
    }

    @Test
    void runMetricsAreExposed() {
        Management.given().get("/q/metrics").then().statusCode(200)
                .body(containsString("monkeytown_runs_queued"))
                .body(containsString("monkeytown_runs_active"))
                .body(containsString("monkeytown_dispatch_paused"));
    }

    private static List<Map<String, Object>> docsIndexRunsFor(String path) {
        List<Map<String, Object>> runs = api().queryParam("agent", "docs-index").queryParam("limit", 200)
                .get("/api/v1/runs").then().statusCode(200).extract().path("runs");
        return runs.stream().filter(run -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> trigger = (Map<String, Object>) run.get("trigger");
            return "on_change".equals(trigger.get("type"))
                    && ((List<?>) trigger.get("changedPaths")).contains(path);
        }).toList();
    }

    private static String mainHead() throws Exception {
        File directory = new File(ConfigProvider.getConfig().getValue("monkeytown.state.local-repository",
                String.class));
        try (Git git = Git.open(directory)) {
            return git.getRepository().exactRef("refs/heads/main").getObjectId().name();
        }
    }

    /** Adds one file to the default branch as a commit, the way a person pushing to the repository would. */
    private static void commitToMain(String path, String content) throws Exception {
        commitOnMain(path, content, true);
    }

    /**
     * A commit of one more file on top of main; {@code moveMain} false leaves main where it is (a commit that exists,
     * as a push's {@code after} does, without the local poll seeing main move).
     */
    private static String commitOnMain(String path, String content, boolean moveMain) throws Exception {
        File directory = new File(ConfigProvider.getConfig().getValue("monkeytown.state.local-repository",
                String.class));
        try (Git git = Git.open(directory);
                RevWalk walk = new RevWalk(git.getRepository());
                ObjectInserter inserter = git.getRepository().newObjectInserter()) {
            Repository repository = git.getRepository();
            RevCommit head = walk.parseCommit(repository.resolve("refs/heads/main"));
            DirCache tree = DirCache.read(repository.newObjectReader(), head.getTree());
            DirCacheBuilder builder = tree.builder();
            for (int i = 0; i < tree.getEntryCount(); i++) {
                builder.add(tree.getEntry(i));
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
            commit.setMessage("add " + path + "\n");
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            if (!moveMain) {
                return id.name();
            }
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

    private static RequestSpecification api() {
        return given().header("X-Monkeytown-Internal-Token",
                ConfigProvider.getConfig().getValue("monkeytown.internal.token", String.class));
    }
}
