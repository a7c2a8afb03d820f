package dev.monkeytown.state;

/**
 * Who asked for a change: a user or a service. Becomes the commit author, so {@code git log} of a state branch is the
 * audit trail.
 */
public record Actor(String name, String email) {

    public static Actor user(String login) {
        return new Actor(login, login + "@users.monkeytown");
    }

    public static Actor service(String service) {
        return new Actor(service, service + "@services.monkeytown");
    }
}
