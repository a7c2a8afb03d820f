package dev.monkeytown.deploy.alerts;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.TimeoutException;

import dev.monkeytown.github.GitHubUnavailableException;
import dev.monkeytown.kit.problem.ProblemResponses;
import dev.monkeytown.kit.problem.ProblemType;
import dev.monkeytown.kit.security.AcceptsBearerInternalToken;
import dev.monkeytown.state.Document;
import dev.monkeytown.state.StateBranch;
import dev.monkeytown.state.StateUnavailableException;

/**
 * Alertmanager's GitHub-issue receiver ({@code POST /internal/alerts}, its webhook JSON, the internal token as a bearer
 * token or header) and what the dashboard's alerts view reads ({@code GET /api/v1/alerts}).
 */
@Path("/")
@Tag(name = "alerts")
public class AlertsResource {

    /** The answer of {@code GET /api/v1/alerts}. */
    public record AlertList(List<AlertRecord> alerts, List<AlertSummary> summaries) {
    }

    private static final Duration READ_WAIT = Duration.ofSeconds(10);

    private final AlertDesk desk;
    private final StateBranch branch;
    private final AlertMetrics metrics;
    private final ObjectMapper json;

    AlertsResource(AlertDesk desk, StateBranch branch, AlertMetrics metrics, ObjectMapper json) {
        this.desk = desk;
        this.branch = branch;
        this.metrics = metrics;
        this.json = json;
    }

    @POST
    @Path("internal/alerts")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @AcceptsBearerInternalToken
    @Operation(summary = "Alertmanager's webhook (version 4): one GitHub issue per alert, closed when it resolves")
    public AlertDesk.Outcome receive(byte[] body) throws IOException {
        List<AlertEvent> alerts;
        try {
            JsonNode notification = json.readTree(body);
            alerts = AlertmanagerNotification.parse(notification);
        } catch (JsonProcessingException e) {
            throw new InvalidNotificationException("the body is not JSON");
        }
        AlertDesk.Outcome outcome = desk.receive(alerts);
        metrics.delivery("accepted");
        return outcome;
    }

    @GET
    @Path("api/v1/alerts")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Every alert received, most recently changed first, with its issue and history")
    public AlertList list(@QueryParam("status") String status) {
        if (status != null && !status.equals("firing") && !status.equals("resolved")) {
            throw new BadRequestException("status must be firing or resolved");
        }
        List<AlertRecord> alerts = new ArrayList<>();
        for (Document document : branch.list("alerts/").await().atMost(READ_WAIT)) {
            AlertRecord record = readable(document, AlertRecord.class);
            if (record != null && (status == null || record.status().jsonName().equals(status))) {
                alerts.add(record);
            }
        }
        alerts.sort(Comparator.comparing(AlertRecord::updatedAt).reversed());
        List<AlertSummary> summaries = new ArrayList<>();
        for (Document document : branch.list("alert-summaries/").await().atMost(READ_WAIT)) {
            AlertSummary summary = readable(document, AlertSummary.class);
            if (summary != null) {
                summaries.add(summary);
            }
        }
        summaries.sort(Comparator.comparing(AlertSummary::window).reversed());
        return new AlertList(alerts, summaries);
    }

    private <T> T readable(Document document, Class<T> type) {
        try {
            return json.readValue(document.content(), type);
        } catch (IOException e) {
            Log.warnf("Unreadable alert record %s: %s", document.path(), e.getClass().getSimpleName());
            return null;
        }
    }

    @ServerExceptionMapper
    public Response invalid(InvalidNotificationException e, UriInfo uri) {
        metrics.delivery("invalid");
        return ProblemResponses.of(ProblemType.HTTP_STATUS, 400, e.getMessage(), uri.getPath());
    }

    /** GitHub or the state store could not be reached in time: Alertmanager retries, which is exactly right. */
    @ServerExceptionMapper
    public Response unavailable(IOException e, UriInfo uri) {
        return failed("GitHub could not be asked in time (" + e.getMessage() + "); nothing is lost: send it again",
                uri);
    }

    @ServerExceptionMapper
    public Response githubUnavailable(GitHubUnavailableException e, UriInfo uri) {
        return failed("GitHub is unavailable or asked to wait; nothing is lost: send it again", uri);
    }

    @ServerExceptionMapper
    public Response storeUnavailable(StateUnavailableException e, UriInfo uri) {
        return failed("the state store is unavailable; send it again shortly", uri);
    }

    @ServerExceptionMapper
    public Response storeTooSlow(TimeoutException e, UriInfo uri) {
        return failed("the state store did not answer in time; send it again shortly", uri);
    }

    private Response failed(String detail, UriInfo uri) {
        if (uri.getPath().endsWith("/internal/alerts")) {
            metrics.delivery("failed");
            Log.warnf("Alert notification not handled: %s", detail);
        }
        return Response.fromResponse(ProblemResponses.of(ProblemType.HTTP_STATUS, 503, detail, uri.getPath()))
                .header("Retry-After", "10").build();
    }
}
