package dev.monkeytown.gateway.proxy;

/**
 * An exchange ended by the client, not by the service: a body too slow, too large or broken off, or a client that went
 * away. The route's breaker never counts one as the service failing — a client must not be able to open it for
 * everybody by stalling five uploads.
 */
abstract sealed class ClientFault extends RuntimeException permits ClientFault.TooSlow, ClientFault.TooLarge,
        ClientFault.Gone {

    private ClientFault(String message, Throwable cause) {
        super(message, cause, false, false);
    }

    /** The body fell below the minimum rate, or did not start within the body timeout: 408. */
    static final class TooSlow extends ClientFault {
        TooSlow() {
            super("the request body arrived too slowly", null);
        }
    }

    /** The body went past its limit while streaming: 413. */
    static final class TooLarge extends ClientFault {
        TooLarge() {
            super("the request body exceeds its limit", null);
        }
    }

    /** The client closed the connection or broke off its body: nobody is left to answer. */
    static final class Gone extends ClientFault {
        Gone(Throwable cause) {
            super("the client went away", cause);
        }
    }
}
