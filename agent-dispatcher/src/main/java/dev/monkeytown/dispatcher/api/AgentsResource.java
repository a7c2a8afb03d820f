package dev.monkeytown.dispatcher.api;

import java.util.concurrent.CompletionStage;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.monkeytown.dispatcher.dispatch.DeclarationsNotLoadedException;
import dev.monkeytown.dispatcher.dispatch.Dispatcher;
import dev.monkeytown.dispatcher.dispatch.UnknownAgentException;
import dev.monkeytown.dispatcher.queue.AgentName;
import dev.monkeytown.dispatcher.queue.Trigger;
import dev.monkeytown.dispatcher.registry.AgentCatalog;
import dev.monkeytown.dispatcher.registry.AgentRegistry;
import dev.monkeytown.dispatcher.runs.RunView;

@Path("/api/v1/agents")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "agents")
public class AgentsResource {

    private final AgentRegistry registry;
    private final Dispatcher dispatcher;

    AgentsResource(AgentRegistry registry, Dispatcher dispatcher) {
        this.registry = registry;
        this.dispatcher = dispatcher;
    }

    @GET
    @Operation(summary = "The agents declared on the default branch, and the declarations that were skipped")
    public AgentList list() {
        AgentCatalog catalog = catalog();
        return new AgentList(registry.revision().filter(r -> !r.isEmpty()).orElse(null),
                catalog.agents().values().stream().map(AgentView::of).toList(),
                catalog.problems().stream().map(AgentList.Problem::of).toList());
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "One agent")
    public AgentView get(@PathParam("name") String name) {
        return catalog().agent(name).map(AgentView::of).orElseThrow(() -> unknown(name));
    }

    @POST
    @Path("/{name}/runs")
    @Operation(summary = "Queue a run of the agent; answered once the run is durably recorded")
    public CompletionStage<Response> run(@PathParam("name") String name,
            @HeaderParam(Requester.HEADER) String user) {
        if (!AgentName.isValid(name)) {
            throw unknown(name);
        }
        return dispatcher.request(name, new Trigger.Manual(Requester.of(user)))
                // a plain header, not location(): that resolves against the request, which this thread (the
                // dispatcher's, completing the answer) has no context for; relative also survives the gateway's proxy
                .thenApply(record -> Response.accepted(RunView.of(record))
                        .header("Location", "/api/v1/runs/" + record.id()).build());
    }

    private AgentCatalog catalog() {
        return registry.catalog().orElseThrow(DeclarationsNotLoadedException::new);
    }

    private static NotFoundException unknown(String name) {
        return new NotFoundException(new UnknownAgentException(name).getMessage());
    }

}
