package dev.monkeytown.dispatcher.activity;

/**
 * Looks at the repository for business activity since the last look; called on the dispatcher's existing watch of the
 * default branch (its registry poll), so no second poller reads the repository. In GitHub mode it does nothing:
 * webhooks tell instead ({@link WebhookActivity}).
 */
public interface ActivityWatch {

    ActivityWatch WEBHOOKS_TELL = () -> {
    };

    void observe();
}
