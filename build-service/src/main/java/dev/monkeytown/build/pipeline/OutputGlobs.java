package dev.monkeytown.build.pipeline;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The files of a checkout that a pipeline's {@code outputs} globs match: regular files only (a symbolic link could point
 * anywhere on the machine, so it is never followed), {@code .git} never, paths relative with {@code /}.
 */
public final class OutputGlobs {

    private final List<PathMatcher> matchers = new ArrayList<>();
    private final List<String> globs;

    public OutputGlobs(List<String> globs) {
        this.globs = List.copyOf(globs);
        for (String glob : globs) {
            check(glob).ifPresent(problem -> {
                throw new IllegalArgumentException(problem);
            });
            matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
        }
    }

    /** @return what is wrong with the glob, or empty when it is usable */
    static Optional<String> check(String glob) {
        if (glob.startsWith("/") || glob.contains("\\")) {
            return Optional.of("'" + glob + "' must be a relative path with '/' separators");
        }
        for (String segment : glob.split("/")) {
            if (segment.equals("..") || segment.equals(".git")) {
                return Optional.of("'" + glob + "' must stay inside the checkout (no '..' or '.git')");
            }
        }
        try {
            FileSystems.getDefault().getPathMatcher("glob:" + glob);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of("'" + glob + "' is not a glob: " + e.getMessage());
        }
    }

    /** Whether {@code name} can be one folder of a relative path: not empty, no separator, not {@code .}, {@code ..}, {@code .git}. */
    public static boolean isSafeName(String name) {
        return !name.isEmpty() && !name.contains("/") && !name.contains("\\") && !name.equals(".")
                && !name.equals("..") && !name.equals(".git") && name.chars().noneMatch(c -> c < 0x20);
    }

    /**
     * Whether any glob could match a file below the folder {@code name} ({@code dist} for {@code dist/site/index.html}).
     * Judged on each glob's first segment, up to its first {@code /} outside braces: a segment without {@code **} and
     * without a {@code /} matches one path element only (in a glob, {@code *}, {@code ?} and brackets never match
     * {@code /}), so it must match {@code name} itself; any other glob may match anything below any folder and
     * answers true. A glob without a {@code /} names files at the top only, never below a folder.
     */
    public boolean mayMatchUnder(String name) {
        for (String glob : globs) {
            int slash = firstSeparator(glob);
            if (slash < 0) {
                if (glob.contains("**")) {
                    return true;
                }
                continue;
            }
            String first = glob.substring(0, slash);
            if (first.contains("**") || first.contains("/")) {
                return true;
            }
            if (FileSystems.getDefault().getPathMatcher("glob:" + first).matches(Path.of(name))) {
                return true;
            }
        }
        return false;
    }

    /** The index of the first {@code /} not inside braces or brackets, or -1. */
    private static int firstSeparator(String glob) {
        int braces = 0;
        boolean bracket = false;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[') {
                bracket = true;
            } else if (c == ']') {
                bracket = false;
            } else if (c == '{' && !bracket) {
                braces++;
            } else if (c == '}' && !bracket && braces > 0) {
                braces--;
            } else if (c == '/' && braces == 0 && !bracket) {
                return i;
            }
        }
        return -1;
    }

    /** Relative paths of the matching files, sorted. */
    public List<String> match(Path root) throws IOException {
        TreeSet<String> found = new TreeSet<>();
        if (matchers.isEmpty()) {
            return List.of();
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return dir.getFileName() != null && dir.getFileName().toString().equals(".git") && !dir.equals(root)
                        ? FileVisitResult.SKIP_SUBTREE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    Path relative = root.relativize(file);
                    if (matchers.stream().anyMatch(m -> m.matches(relative))) {
                        found.add(relative.toString().replace('\\', '/'));
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return List.copyOf(found);
    }
}
