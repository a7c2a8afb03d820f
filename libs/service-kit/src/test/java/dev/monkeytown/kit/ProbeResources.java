package dev.monkeytown.kit;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.jboss.logging.MDC;

import dev.monkeytown.kit.requestid.RequestId;
import dev.monkeytown.kit.security.AcceptsBearerInternalToken;
import dev.monkeytown.kit.security.PublicEndpoint;

/** Endpoints that exist only in the kit's own tests, to drive each mapper and filter. */
public class ProbeResources {

    public record Widget(@NotBlank(message = "must not be blank") String name,
            @Min(value = 1, message = "must be at least 1") @Max(value = 10, message = "must be at most 10") int size) {
    }

    @Path("/test/boom")
    public static class Boom {
        @GET
        public String boom() {
            throw new IllegalStateException("secret internals that must not leak");
        }
    }

    @Path("/test/busy")
    public static class Busy {
        @GET
        public String busy() {
            throw new jakarta.ws.rs.ServiceUnavailableException("the engine did not record it in time", 5L);
        }
    }

    @Path("/test/widgets")
    public static class Widgets {
        @POST
        @Consumes(MediaType.APPLICATION_JSON)
        public Widget create(@Valid Widget widget) {
            return widget;
        }

        @GET
        public String list(@QueryParam("limit") @Min(value = 1, message = "must be at least 1") int limit) {
            return "limit=" + limit;
        }
    }

    @Path("/test/public")
    @PublicEndpoint
    public static class Public {
        @GET
        public String hello() {
            return "hello " + MDC.get(RequestId.MDC_KEY);
        }
    }

    @Path("/test/mixed")
    public static class Mixed {
        @GET
        @PublicEndpoint
        public String open() {
            return "open";
        }

        @POST
        public String closed() {
            return "closed";
        }
    }

    @Path("/test/bearer")
    public static class Bearer {
        @POST
        @AcceptsBearerInternalToken
        public String alerts() {
            return "taken";
        }
    }
}
