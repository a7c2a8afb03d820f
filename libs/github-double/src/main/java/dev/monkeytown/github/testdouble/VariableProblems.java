package dev.monkeytown.github.testdouble;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import graphql.GraphQLContext;
import graphql.schema.CoercingParseValueException;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLScalarType;

/**
 * Checks variable values against their declared types the way GitHub's coercion does, and lists every problem with
 * its path, as GitHub reports them in {@code extensions.problems} ("Variable $input of type X! was provided invalid
 * value for a.b (...)"). graphql-java would stop at the first problem and word it differently.
 */
final class VariableProblems {

    /** One problem, as GitHub reports it. */
    record Problem(List<String> path, String explanation) {
    }

    private VariableProblems() {
    }

    static List<Problem> of(GraphQLInputType type, JsonNode value) {
        List<Problem> problems = new ArrayList<>();
        check(type, value, new ArrayList<>(), problems);
        return problems;
    }

    private static void check(GraphQLInputType type, JsonNode value, List<String> path, List<Problem> problems) {
        boolean absent = value == null || value.isNull() || value.isMissingNode();
        if (type instanceof GraphQLNonNull nonNull) {
            if (absent) {
                problems.add(new Problem(List.copyOf(path), "Expected value to not be null"));
            } else {
                check((GraphQLInputType) nonNull.getWrappedType(), value, path, problems);
            }
            return;
        }
        if (absent) {
            return;
        }
        if (type instanceof GraphQLList list) {
            GraphQLInputType item = (GraphQLInputType) list.getWrappedType();
            if (!value.isArray()) {
                check(item, value, path, problems); // a single value stands for a list of one, as the spec says
                return;
            }
            for (int i = 0; i < value.size(); i++) {
                check(item, value.get(i), append(path, String.valueOf(i)), problems);
            }
            return;
        }
        if (type instanceof GraphQLInputObjectType object) {
            if (!value.isObject()) {
                problems.add(new Problem(List.copyOf(path), "Expected value to be an object"));
                return;
            }
            for (Iterator<String> names = value.fieldNames(); names.hasNext();) {
                String name = names.next();
                if (object.getField(name) == null) {
                    problems.add(new Problem(append(path, name), "Field is not defined on " + object.getName()));
                }
            }
            for (GraphQLInputObjectField field : object.getFields()) {
                check(field.getType(), value.get(field.getName()), append(path, field.getName()), problems);
            }
            return;
        }
        if (type instanceof GraphQLEnumType enumType) {
            if (!value.isTextual() || enumType.getValue(value.asText()) == null) {
                problems.add(new Problem(List.copyOf(path), "Expected \"" + value.asText() + "\" to be one of: "
                        + String.join(", ", enumType.getValues().stream().map(v -> v.getName()).toList())));
            }
            return;
        }
        GraphQLScalarType scalar = (GraphQLScalarType) type;
        try {
            scalar.getCoercing().parseValue(Json.MAPPER.convertValue(value, Object.class), GraphQLContext.getDefault(),
                    Locale.ENGLISH);
        } catch (CoercingParseValueException e) {
            problems.add(new Problem(List.copyOf(path), "Could not coerce value " + value + " to " + scalar.getName()));
        }
    }

    private static List<String> append(List<String> path, String segment) {
        List<String> longer = new ArrayList<>(path);
        longer.add(segment);
        return longer;
    }
}
