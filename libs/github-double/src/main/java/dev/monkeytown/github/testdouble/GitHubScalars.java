package dev.monkeytown.github.testdouble;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.GraphQLScalarType;

/**
 * The custom scalars of GitHub's schema that the vendored subset uses, with GitHub's input rules: a GitObjectID is a
 * full 40-hex id, a Base64String is strict RFC 4648 (padding required), date-times are ISO 8601. All travel as strings.
 */
final class GitHubScalars {

    private static final Pattern OID = Pattern.compile("[0-9a-f]{40}");

    private GitHubScalars() {
    }

    static List<GraphQLScalarType> all() {
        return List.of(text("GitObjectID", v -> OID.matcher(v).matches()), text("Base64String", GitHubScalars::isStrictBase64),
                text("URI", v -> true), text("DateTime", GitHubScalars::isDateTime),
                text("GitTimestamp", GitHubScalars::isDateTime));
    }

    private static GraphQLScalarType text(String name, Predicate<String> valid) {
        return GraphQLScalarType.newScalar().name(name).coercing(new Coercing<String, String>() {
            @Override
            public String serialize(Object value, GraphQLContext context, Locale locale) {
                return value.toString();
            }

            @Override
            public String parseValue(Object input, GraphQLContext context, Locale locale) {
                if (input instanceof String s && valid.test(s)) {
                    return s;
                }
                throw new CoercingParseValueException("Could not coerce value " + Json.MAPPER.valueToTree(input)
                        + " to " + name);
            }

            @Override
            public String parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context,
                    Locale locale) {
                if (input instanceof StringValue s && valid.test(s.getValue())) {
                    return s.getValue();
                }
                throw new CoercingParseLiteralException("Could not coerce value " + input + " to " + name);
            }
        }).build();
    }

    private static boolean isStrictBase64(String value) {
        if (value.length() % 4 != 0) {
            return false;
        }
        try {
            Base64.getDecoder().decode(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isDateTime(String value) {
        try {
            OffsetDateTime.parse(value);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
