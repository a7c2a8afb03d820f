package dev.monkeytown.kit.webhooks;

import java.util.Optional;

import jakarta.ws.rs.BadRequestException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A GitHub delivery as the gateway forwards it to a service's {@code /internal/webhooks/github}: the gateway verified
 * the signature and the delivery id, so what is left to decide here is whether the body is an event at all and whether
 * it is about the Monkeytown repository. Decided once, at the door, for every event a service consumes: one GitHub App
 * (or an organisation webhook) may deliver events of several repositories, and a push to another repository's
 * {@code main} is not a push to ours.
 */
public record ForwardedWebhook(String event, JsonNode payload) {

    /** @throws BadRequestException when the event header is missing or the body is not a JSON object */
    public static ForwardedWebhook of(String event, JsonNode payload, String consumed) {
        if (event == null || event.isBlank()) {
            throw new BadRequestException("X-GitHub-Event is required (" + consumed + ")");
        }
        if (payload == null || !payload.isObject()) {
            throw new BadRequestException("the body must be the event's JSON object");
        }
        return new ForwardedWebhook(event, payload);
    }

    /**
     * Whether this delivery concerns {@code repository} ({@code owner/name}, as GitHub compares them: ignoring case). A
     * {@code ping} concerns everyone. Without a configured repository (the local backend) nothing can be told apart and
     * every delivery is taken, as before GitHub mode; with one, a payload that names no repository is not ours.
     */
    public boolean about(Optional<String> repository) {
        if (event.equals("ping") || repository.isEmpty() || repository.get().isBlank()) {
            return true;
        }
        return repository.get().equalsIgnoreCase(repositoryName());
    }

    /** The repository the payload names ({@code repository.full_name}), empty when it names none. */
    public String repositoryName() {
        return payload.path("repository").path("full_name").asText("");
    }

    /** The answer for a delivery about another repository, for the gateway's log. */
    public String notAbout(Optional<String> repository) {
        String named = repositoryName();
        return "not about " + repository.orElse("this suite's repository") + ": "
                + (named.isEmpty() ? "the payload names no repository" : named);
    }
}
