package dev.monkeytown.kit.ops;

import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.quarkus.logging.Log;

/**
 * Reads and changes a logger's level on this running instance, so an operator can turn on DEBUG for one category
 * while chasing a problem, without a restart. The change lasts until the process ends.
 */
@Path("/internal/log-levels/{category}")
@Produces(MediaType.APPLICATION_JSON)
public class LogLevelResource {

    static final String CATEGORY = "[A-Za-z0-9_$.-]{1,200}";

    @GET
    @Operation(summary = "The configured and effective level of a logger category")
    public LogLevel get(
            @PathParam("category") @Pattern(regexp = CATEGORY, message = "must be a logger category such as dev.monkeytown.gateway") String category) {
        return describe(category);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the level of a logger category on this instance until it restarts")
    public LogLevel set(
            @PathParam("category") @Pattern(regexp = CATEGORY, message = "must be a logger category such as dev.monkeytown.gateway") String category,
            @NotNull(message = "a body {\"level\": ...} is required") @Valid LevelChange change) {
        Logger.getLogger(category).setLevel(org.jboss.logmanager.Level.parse(change.level()));
        Log.infof("Log level of %s set to %s", category, change.level());
        return describe(category);
    }

    private static LogLevel describe(String category) {
        Logger logger = Logger.getLogger(category);
        Level own = logger.getLevel();
        Level effective = own;
        for (Logger l = logger; effective == null && l != null; l = l.getParent()) {
            effective = l.getLevel();
        }
        return new LogLevel(category, own == null ? null : own.getName(), effective == null ? null : effective.getName());
    }
}
