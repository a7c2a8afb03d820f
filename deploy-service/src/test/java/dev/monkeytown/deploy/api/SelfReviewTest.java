package dev.monkeytown.deploy.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.http.ContentType;

/**
 * With {@code prevent-self-review} on, as GitHub's environment option of that name, whoever asked for a production
 * deployment cannot approve or reject it: another person must, through the API as the gateway calls it.
 */
@QuarkusTest
@QuarkusTestResource(BuildServiceDouble.class)
@TestProfile(SelfReviewTest.PreventSelfReview.class)
class SelfReviewTest {

    public static class PreventSelfReview implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("monkeytown.deploy.approval.prevent-self-review", "true");
        }
    }

    @BeforeEach
    void callAsTheGateway() {
        io.restassured.RestAssured.requestSpecification = new RequestSpecBuilder()
                .addHeader(BuildServiceDouble.TOKEN_HEADER, BuildServiceDouble.TEST_TOKEN).build();
    }

    @AfterEach
    void uninstall() {
        io.restassured.RestAssured.requestSpecification = null;
    }

    @Test
    void whoAskedForADeploymentCannotApproveOrRejectIt() throws Exception {
        RevCommit main = head();
        BuildServiceDouble.succeeded("B-self-review-" + System.nanoTime(), main.name(), main.getTree().name(),
                DeploymentsApiTest.page(main.name(), true));
        String production = given().contentType(ContentType.JSON).body(Map.of("sha", main.name()))
                .header("X-Monkeytown-User", "alice").when().post("/api/v1/environments/production/deployments")
                .then().statusCode(202).body("requestedBy", is("alice")).extract().path("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> given().when().get("/api/v1/deployments/" + production)
                .then().extract().path("state"), is("waiting"));

        for (String decision : new String[]{"approve", "reject"}) {
            given().contentType(ContentType.JSON).body(Map.of("reason", "looks fine to me"))
                    .header("X-Monkeytown-User", "alice").when()
                    .post("/api/v1/deployments/" + production + "/" + decision).then().statusCode(403)
                    .contentType(startsWith("application/problem+json"))
                    .body("detail", containsString("someone other than alice"));
        }
        given().when().get("/api/v1/deployments/" + production).then().body("state", is("waiting"))
                .body("approval", org.hamcrest.Matchers.nullValue());

        given().contentType(ContentType.JSON).body(Map.of("reason", "reviewed")).header("X-Monkeytown-User", "bob")
                .when().post("/api/v1/deployments/" + production + "/approve").then().statusCode(200)
                .body("approval.by", is("bob"));
        await().atMost(Duration.ofSeconds(30)).until(() -> given().when().get("/api/v1/deployments/" + production)
                .then().extract().path("state"), is("success"));
    }

    private static RevCommit head() throws Exception {
        Path repository = Path.of(ConfigProvider.getConfig().getValue("monkeytown.state.local-repository",
                String.class));
        try (Git git = Git.open(repository.toFile()); RevWalk walk = new RevWalk(git.getRepository())) {
            return walk.parseCommit(git.getRepository().resolve("refs/heads/main"));
        }
    }
}
