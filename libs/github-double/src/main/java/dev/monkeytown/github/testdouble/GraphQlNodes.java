package dev.monkeytown.github.testdouble;

/** What the GraphQL data fetchers hand each other: a repository's object, tree entry or ref, with its context. */
final class GraphQlNodes {

    private GraphQlNodes() {
    }

    /** A Blob, Tree or Commit; {@code path} is where it sits below the root tree when known ("" for the root). */
    record ObjectNode(HostedRepository repository, GitObjects.GitObject object, String path) {

        String typeName() {
            if (object instanceof GitObjects.Blob) {
                return "Blob";
            }
            return object instanceof GitObjects.Tree ? "Tree" : "Commit";
        }
    }

    /** One entry of a tree; {@code path} is the full path from the root when the tree's own path is known. */
    record EntryNode(HostedRepository repository, GitObjects.TreeEntry entry, String path) {
    }

    /** A ref as readers see it: {@code qualifiedName} like {@code refs/heads/main}. */
    record RefNode(HostedRepository repository, String qualifiedName, String target) {

        String prefix() {
            return qualifiedName.substring(0, qualifiedName.indexOf('/', "refs/".length()) + 1);
        }

        String shortName() {
            return qualifiedName.substring(prefix().length());
        }
    }
}
