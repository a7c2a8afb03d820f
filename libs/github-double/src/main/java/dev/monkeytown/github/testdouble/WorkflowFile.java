package dev.monkeytown.github.testdouble;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the double reads from a workflow file: its name, whether it can be dispatched and with which inputs, and its
 * {@code run-name}. Textual, not a YAML parser: enough for the workflows tests write, where GitHub would evaluate the
 * full expression language.
 */
record WorkflowFile(String path, String text) {

    private static final Pattern NAME = Pattern.compile("(?m)^name:\\s*(.+?)\\s*$");
    private static final Pattern RUN_NAME = Pattern.compile("(?m)^run-name:\\s*(.+?)\\s*$");
    private static final Pattern INPUT_EXPRESSION = Pattern
            .compile("\\$\\{\\{\\s*(?:github\\.event\\.)?inputs\\.([A-Za-z0-9_-]+)\\s*}}");

    /** The {@code name:} of the workflow, or its path as GitHub shows for unnamed workflows. */
    String name() {
        Matcher m = NAME.matcher(withoutComments());
        return m.find() ? unquote(m.group(1)) : path;
    }

    boolean dispatchable() {
        return withoutComments().contains("workflow_dispatch");
    }

    /** Whether {@code input} is declared under {@code workflow_dispatch: inputs:}. */
    boolean declaresInput(String input) {
        String text = withoutComments();
        int dispatch = text.indexOf("workflow_dispatch");
        int inputs = dispatch < 0 ? -1 : text.indexOf("inputs:", dispatch);
        return inputs >= 0 && Pattern.compile("(?m)^\\s+" + Pattern.quote(input) + ":").matcher(text)
                .region(inputs, text.length()).find();
    }

    /** The run's title: {@code run-name} with {@code ${{ inputs.x }}} replaced by the dispatched values. */
    String displayTitle(Map<String, String> inputs) {
        Matcher m = RUN_NAME.matcher(withoutComments());
        if (!m.find()) {
            return name();
        }
        return INPUT_EXPRESSION.matcher(unquote(m.group(1)))
                .replaceAll(r -> Matcher.quoteReplacement(inputs.getOrDefault(r.group(1), "")));
    }

    private String withoutComments() {
        return text.replaceAll("(?m)^\\s*#.*$", "").replaceAll("(?m)\\s+#.*$", "");
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }
}
