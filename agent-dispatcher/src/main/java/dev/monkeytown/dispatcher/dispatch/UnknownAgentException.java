package dev.monkeytown.dispatcher.dispatch;

/** No valid declaration of this agent on the default branch. */
public final class UnknownAgentException extends RuntimeException {

    public UnknownAgentException(String agent) {
        super("no agent named '" + agent + "' is declared; GET /api/v1/agents lists the agents and any declaration"
                + " problems", null, false, false);
    }
}
