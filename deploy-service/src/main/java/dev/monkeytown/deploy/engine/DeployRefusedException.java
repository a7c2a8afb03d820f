package dev.monkeytown.deploy.engine;

/** A request the rules refuse; nothing was recorded. {@link NotFound} is a 404, the others a 409. */
public class DeployRefusedException extends RuntimeException {

    public DeployRefusedException(String message) {
        super(message, null, false, false);
    }

    /** The environment or deployment named does not exist. */
    public static final class NotFound extends DeployRefusedException {

        public NotFound(String message) {
            super(message);
        }
    }
}
