package dev.monkeytown.state.engine;

/**
 * What a document path on a state branch may look like. Paths become Git tree entries and, in GitHub mode, URL
 * segments, so anything that could escape the branch ({@code ..}, {@code /abs}), confuse Git ({@code .git}, empty
 * segments) or need escaping is refused before it reaches a backend.
 */
public final class StatePaths {

    static final int MAX_PATH_LENGTH = 1024;
    static final int MAX_SEGMENT_LENGTH = 255;

    private StatePaths() {
    }

    /** A document path such as {@code runs/2026/11/27/01J.json}. */
    public static String requireValid(String path) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("document path must not be empty");
        }
        if (path.length() > MAX_PATH_LENGTH) {
            throw new IllegalArgumentException("document path longer than " + MAX_PATH_LENGTH + " characters");
        }
        if (path.startsWith("/")) {
            throw new IllegalArgumentException("document path must be relative: " + path);
        }
        if (path.endsWith("/")) {
            throw new IllegalArgumentException("document path must name a file, not a folder: " + path);
        }
        int start = 0;
        while (start <= path.length()) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            requireValidSegment(path, path.substring(start, end));
            start = end + 1;
        }
        return path;
    }

    /**
     * A listing prefix: {@code ""} (the whole branch) or a folder, with or without its trailing slash. Returns the
     * folder with a trailing slash, so {@code "runs"} never matches {@code runs-old/...}.
     */
    public static String requireValidFolder(String prefix) {
        if (prefix == null) {
            throw new IllegalArgumentException("folder must not be null; use \"\" for the whole branch");
        }
        if (prefix.isEmpty()) {
            return prefix;
        }
        String folder = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        try {
            requireValid(folder);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid folder '" + prefix + "': " + e.getMessage(), e);
        }
        return folder + "/";
    }

    private static void requireValidSegment(String path, String segment) {
        if (segment.isEmpty()) {
            throw new IllegalArgumentException("document path has an empty segment: " + path);
        }
        if (segment.equals(".") || segment.equals("..")) {
            throw new IllegalArgumentException("document path must not contain '.' or '..' segments: " + path);
        }
        if (segment.equalsIgnoreCase(".git")) {
            throw new IllegalArgumentException("document path must not contain a .git segment: " + path);
        }
        if (segment.length() > MAX_SEGMENT_LENGTH) {
            throw new IllegalArgumentException("path segment longer than " + MAX_SEGMENT_LENGTH + " characters");
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (!isAllowed(c)) {
                throw new IllegalArgumentException("document path may only use letters, digits and . _ - @ + =, not '"
                        + printable(c) + "': " + printablePath(path));
            }
        }
    }

    private static boolean isAllowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
                || c == '-' || c == '@' || c == '+' || c == '=';
    }

    private static String printable(char c) {
        return Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }

    private static String printablePath(String path) {
        StringBuilder out = new StringBuilder();
        path.chars().forEach(c -> out.append(printable((char) c)));
        return out.toString();
    }
}
