package dev.monkeytown.deploy.api;

import jakarta.ws.rs.ForbiddenException;

import dev.monkeytown.deploy.deployments.Deployment;

/**
 * Who may approve or reject a waiting deployment: a person the gateway named, never an unnamed call (a service holding
 * the internal token is not a reviewer), and — with {@code prevent-self-review}, as GitHub's environment option of that
 * name — someone other than who asked for it. Off by default: on a laptop one admin asks and approves.
 */
final class Approvers {

    private final boolean preventSelfReview;

    Approvers(boolean preventSelfReview) {
        this.preventSelfReview = preventSelfReview;
    }

    /** @return the person deciding, or refused with 403 saying why */
    String decider(Deployment deployment, String userHeader) {
        String who = Requester.person(userHeader).orElseThrow(() -> new ForbiddenException(
                "approving or rejecting needs a person: the gateway names the caller in X-Monkeytown-User, and a call"
                        + " that names nobody decides nothing"));
        if (preventSelfReview && who.equals(deployment.requestedBy())) {
            throw new ForbiddenException("monkeytown.deploy.approval.prevent-self-review is on: deployment "
                    + deployment.id() + " must be approved or rejected by someone other than " + who
                    + ", who asked for it");
        }
        return who;
    }
}
