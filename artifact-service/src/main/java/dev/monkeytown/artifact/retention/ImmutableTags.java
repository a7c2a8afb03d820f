package dev.monkeytown.artifact.retention;

import java.util.Optional;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.monkeytown.artifact.catalog.TagRules;

/** The immutable tag patterns of the retention policy, as the catalog's changes consult them. */
@Singleton
public class ImmutableTags {

    @Produces
    @Singleton
    TagRules tagRules(RetentionPolicySource policies) {
        return (repository, tag) -> {
            Optional<String> pattern = policies.current().immutablePattern(repository.value(), tag);
            return pattern;
        };
    }
}
