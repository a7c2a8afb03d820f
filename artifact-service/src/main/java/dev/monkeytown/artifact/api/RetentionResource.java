package dev.monkeytown.artifact.api;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.monkeytown.artifact.access.Caller;
import dev.monkeytown.artifact.access.Permission;
import dev.monkeytown.artifact.retention.GarbageCollector;
import dev.monkeytown.artifact.retention.GcReport;
import dev.monkeytown.artifact.retention.RetentionPolicySource;
import dev.monkeytown.artifact.retention.RetentionReport;
import dev.monkeytown.artifact.retention.RetentionRun;
import dev.monkeytown.kit.params.QueryParams;

/**
 * Retention and garbage collection. Running them is for admins (the gateway asks admin for any {@code /admin}
 * segment; so does the service); reading the policy and the history is for anyone who may pull, and a run's report
 * shows a caller only the repositories it may pull, as every listing does.
 */
@Path("/api/v1/artifacts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "artifacts")
public class RetentionResource {

    static final int MAX_RUNS = 100;

    private final RetentionRun retention;
    private final RetentionPolicySource policies;
    private final GarbageCollector gc;

    RetentionResource(RetentionRun retention, RetentionPolicySource policies, GarbageCollector gc) {
        this.retention = retention;
        this.policies = policies;
        this.gc = gc;
    }

    @GET
    @Path("/retention")
    @Operation(summary = "The retention policy in force, any problem with its file, and the newest run")
    public Map<String, Object> policy(@Context HttpHeaders headers) {
        Caller caller = reader(headers);
        var policy = policies.current();
        return Map.of("source", policy.source(), "rules", policy.rules().size(), "immutableTagRules",
                policy.immutable().size(), "untaggedGrace", policy.untaggedGrace().toString(), "problem",
                policies.problem().orElse(""), "lastRun", retention.history(1).stream().findFirst()
                        .map(r -> (Object) r.limitedTo(caller::mayPull)).orElse(Map.of()));
    }

    @GET
    @Path("/retention/runs")
    @Operation(summary = "Retention runs, newest first")
    public List<RetentionReport> runs(@QueryParam("limit") String limit, @Context HttpHeaders headers) {
        Caller caller = reader(headers);
        return retention.history(QueryParams.limit(limit, MAX_RUNS, 20)).stream()
                .map(r -> r.limitedTo(caller::mayPull)).toList();
    }

    @GET
    @Path("/retention/runs/{id}")
    @Operation(summary = "One retention run: candidates, removals, refusals")
    public RetentionReport run(@PathParam("id") String id, @Context HttpHeaders headers) {
        Caller caller = reader(headers);
        return retention.find(id).map(r -> r.limitedTo(caller::mayPull))
                .orElseThrow(() -> new NotFoundException("no retention run " + id));
    }

    @POST
    @Path("/admin/retention/runs")
    @Operation(summary = "Run retention now; a dry run (the default) only reports what the rules would remove")
    public RetentionReport runNow(@QueryParam("dryRun") String dryRun, @Context HttpHeaders headers) {
        Caller caller = Caller.from(headers);
        caller.require(Permission.DELETE);
        boolean dry = dryRun == null || parseBoolean(dryRun);
        return retention.run(dry, caller.user());
    }

    @POST
    @Path("/admin/gc")
    @Operation(summary = "Collect blobs no repository links now (locally: objects past the delay are deleted)")
    public GcReport collect(@Context HttpHeaders headers) {
        Caller.from(headers).require(Permission.DELETE);
        return gc.collect();
    }

    /** Reports name repositories and digests: the spec's "Anonymous pull: Disabled" keeps them from nobody. */
    private static Caller reader(HttpHeaders headers) {
        Caller caller = Caller.from(headers);
        caller.require(Permission.PULL);
        return caller;
    }

    private static boolean parseBoolean(String value) {
        return switch (value.trim().toLowerCase()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new BadRequestException("dryRun must be true or false, was '" + value + "'");
        };
    }
}
