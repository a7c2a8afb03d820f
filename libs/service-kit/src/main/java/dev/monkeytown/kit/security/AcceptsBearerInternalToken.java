package dev.monkeytown.kit.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an internal resource (class or method) whose callers may present the internal token as
 * {@code Authorization: Bearer <token>} instead of the {@code X-Monkeytown-Internal-Token} header: for senders that can
 * only set {@code Authorization}, such as Alertmanager's webhook ({@code http_config.authorization}). The token checked
 * is the same; a resource without the mark never reads {@code Authorization}, so the gateway's users' bearer tokens
 * mean nothing to it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface AcceptsBearerInternalToken {
}
