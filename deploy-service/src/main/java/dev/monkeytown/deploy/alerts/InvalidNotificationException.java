package dev.monkeytown.deploy.alerts;

/** A delivery that is not Alertmanager's webhook JSON: answered 400, nothing recorded. */
public class InvalidNotificationException extends RuntimeException {

    public InvalidNotificationException(String message) {
        super(message);
    }
}
