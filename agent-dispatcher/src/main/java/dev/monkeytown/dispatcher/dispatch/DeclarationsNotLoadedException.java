package dev.monkeytown.dispatcher.dispatch;

/** The agent declarations have not been read yet (the repository was unreachable since start); try again shortly. */
public final class DeclarationsNotLoadedException extends RuntimeException {

    public DeclarationsNotLoadedException() {
        super("the agent declarations have not been read from the repository yet; try again shortly", null, false,
                false);
    }
}
