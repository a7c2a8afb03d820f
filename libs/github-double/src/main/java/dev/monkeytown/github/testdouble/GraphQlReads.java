package dev.monkeytown.github.testdouble;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import dev.monkeytown.github.testdouble.GitObjects.Blob;
import dev.monkeytown.github.testdouble.GitObjects.Commit;
import dev.monkeytown.github.testdouble.GitObjects.GitObject;
import dev.monkeytown.github.testdouble.GitObjects.Person;
import dev.monkeytown.github.testdouble.GitObjects.Tree;
import dev.monkeytown.github.testdouble.GitObjects.TreeEntry;
import dev.monkeytown.github.testdouble.GraphQlNodes.EntryNode;
import dev.monkeytown.github.testdouble.GraphQlNodes.ObjectNode;
import dev.monkeytown.github.testdouble.GraphQlNodes.RefNode;

import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.TypeRuntimeWiring;

/**
 * The data fetchers for GraphQL reads: repositories, refs, and Git objects from the double's object store — blobs in
 * bulk by oid, trees by {@code <rev>:<path>} expression, commit history newest first. Refs are read as GitHub's
 * replicas see them ({@link HostedRepository#readersSee}), so read lag applies here as on REST.
 */
final class GraphQlReads {

    private final GitHubDouble host;
    private final ConnectionPages pages;
    private final ContentLimits limits;

    GraphQlReads(GitHubDouble host, ConnectionPages pages, ContentLimits limits) {
        this.host = host;
        this.pages = pages;
        this.limits = limits;
    }

    void wire(RuntimeWiring.Builder wiring) {
        wiring.type("Query", t -> t.dataFetcher("repository", this::repository));
        wiring.type("Repository", t -> t
                .dataFetcher("id", repo(r -> host.nodeId("Repository", r.fullName())))
                .dataFetcher("name", repo(HostedRepository::name))
                .dataFetcher("nameWithOwner", repo(HostedRepository::fullName))
                .dataFetcher("object", this::object)
                .dataFetcher("ref", env -> ref(env.getSource(), env.getArgument("qualifiedName")))
                .dataFetcher("defaultBranchRef", repo(r -> ref(r, "refs/heads/" + HostedRepository.DEFAULT_BRANCH))));
        wiring.type("Ref", t -> t
                .dataFetcher("id", refNode(r -> host.nodeId("Ref", r.repository().fullName() + r.qualifiedName())))
                .dataFetcher("name", refNode(RefNode::shortName))
                .dataFetcher("prefix", refNode(RefNode::prefix))
                .dataFetcher("repository", refNode(RefNode::repository))
                .dataFetcher("target", refNode(r -> r.repository().objects().find(r.target())
                        .map(o -> new ObjectNode(r.repository(), o, null)).orElse(null))));
        wiring.type("Blob", t -> gitObject(t)
                .dataFetcher("byteSize", blob(b -> b.content().length))
                .dataFetcher("isBinary", blob(BlobText::isBinary))
                .dataFetcher("isTruncated", blob(b -> BlobText.of(b, limits.blobTextBytes()).truncated()))
                .dataFetcher("text", blob(b -> BlobText.of(b, limits.blobTextBytes()).text())));
        wiring.type("Tree", t -> gitObject(t).dataFetcher("entries", this::entries));
        wiring.type("TreeEntry", t -> t
                .dataFetcher("extension", entry(e -> extension(e.entry().name())))
                .dataFetcher("mode", entry(e -> Integer.parseInt(e.entry().mode(), 8)))
                .dataFetcher("name", entry(e -> e.entry().name()))
                .dataFetcher("object", entry(e -> e.repository().objects().find(e.entry().sha())
                        .map(o -> new ObjectNode(e.repository(), o, e.path())).orElse(null)))
                .dataFetcher("oid", entry(e -> e.entry().sha()))
                .dataFetcher("path", entry(EntryNode::path))
                .dataFetcher("repository", entry(EntryNode::repository))
                .dataFetcher("size", entry(e -> e.repository().objects().find(e.entry().sha(), Blob.class)
                        .map(b -> b.content().length).orElse(0)))
                .dataFetcher("type", entry(e -> e.entry().type())));
        wiring.type("Commit", t -> gitObject(t)
                .dataFetcher("author", commit(c -> actor(c.author())))
                .dataFetcher("committer", commit(c -> actor(c.committer())))
                .dataFetcher("authoredDate", commit(c -> dateTime(c.author())))
                .dataFetcher("committedDate", commit(c -> dateTime(c.committer())))
                .dataFetcher("message", commit(Commit::message))
                .dataFetcher("messageHeadline", commit(c -> c.message().lines().findFirst().orElse("")))
                .dataFetcher("messageBody", commit(GraphQlReads::messageBody))
                .dataFetcher("tree", env -> {
                    ObjectNode node = env.getSource();
                    return new ObjectNode(node.repository(),
                            node.repository().objects().find(((Commit) node.object()).tree()).orElseThrow(), "");
                })
                .dataFetcher("url", env -> "https://github.com" + resourcePath(env.getSource()))
                .dataFetcher("parents", this::parents)
                .dataFetcher("history", this::history));
        wiring.type("GitObject", t -> t.typeResolver(env -> env.getSchema()
                .getObjectType(((ObjectNode) env.getObject()).typeName())));
        wiring.type("Node", t -> t.typeResolver(env -> {
            Object node = env.getObject();
            String type = node instanceof ObjectNode o ? o.typeName() : node instanceof RefNode ? "Ref" : "Repository";
            return env.getSchema().getObjectType(type);
        }));
    }

    private Object repository(DataFetchingEnvironment env) {
        String owner = env.getArgument("owner");
        String name = env.getArgument("name");
        Optional<HostedRepository> repo = host.existing(owner, name);
        if (repo.isPresent()) {
            return repo.get();
        }
        return GitHubGraphQlError.failure(env, "NOT_FOUND",
                "Could not resolve to a Repository with the name '" + owner + "/" + name + "'.");
    }

    private Object object(DataFetchingEnvironment env) {
        HostedRepository repo = env.getSource();
        String oid = env.getArgument("oid");
        if (oid != null) {
            return repo.objects().find(oid).map(o -> new ObjectNode(repo, o, null)).orElse(null);
        }
        String expression = env.getArgument("expression");
        return expression == null ? null : atExpression(repo, expression).orElse(null);
    }

    /** {@code <rev>} or {@code <rev>:<path>}, as {@code git rev-parse} reads them; rev is a branch, tag or commit. */
    private static Optional<ObjectNode> atExpression(HostedRepository repo, String expression) {
        int colon = expression.indexOf(':');
        String rev = colon < 0 ? expression : expression.substring(0, colon);
        Optional<String> commit = repo.readersSee(rev.equals("HEAD") ? HostedRepository.DEFAULT_BRANCH : rev);
        Optional<Commit> found = commit.flatMap(c -> repo.objects().find(c, Commit.class));
        if (found.isEmpty() || colon < 0) {
            return found.map(c -> new ObjectNode(repo, c, null));
        }
        String path = expression.substring(colon + 1).replaceAll("^/+|/+$", "");
        GitObject current = repo.objects().find(found.get().tree()).orElseThrow();
        if (!path.isEmpty()) {
            for (String segment : path.split("/")) {
                if (!(current instanceof Tree tree)) {
                    return Optional.empty();
                }
                Optional<TreeEntry> entry = tree.entries().stream().filter(e -> e.name().equals(segment)).findFirst();
                if (entry.isEmpty()) {
                    return Optional.empty();
                }
                current = repo.objects().find(entry.get().sha()).orElseThrow();
            }
        }
        return Optional.of(new ObjectNode(repo, current, path));
    }

    private static RefNode ref(HostedRepository repo, String qualifiedName) {
        List<String> candidates = qualifiedName.startsWith("refs/")
                ? List.of(qualifiedName)
                : List.of("refs/heads/" + qualifiedName, "refs/tags/" + qualifiedName);
        for (String candidate : candidates) {
            Optional<String> target = repo.readersSee(candidate);
            if (target.isPresent()) {
                return new RefNode(repo, candidate, target.get());
            }
        }
        return null;
    }

    private List<EntryNode> entries(DataFetchingEnvironment env) {
        ObjectNode node = env.getSource();
        String prefix = node.path() == null || node.path().isEmpty() ? "" : node.path() + "/";
        return ((Tree) node.object()).entries().stream()
                .map(e -> new EntryNode(node.repository(), e, prefix + e.name())).toList();
    }

    private Object parents(DataFetchingEnvironment env) {
        ObjectNode node = env.getSource();
        List<ObjectNode> parents = ((Commit) node.object()).parents().stream()
                .map(p -> new ObjectNode(node.repository(), node.repository().objects().find(p).orElseThrow(), null))
                .toList();
        return pages.page(env, "parents", "parents " + node.object().sha(), parents);
    }

    private Object history(DataFetchingEnvironment env) {
        for (String filter : List.of("author", "path", "since", "until")) {
            if (env.getArgument(filter) != null) {
                host.violation("GraphQL history(" + filter + "): valid on GitHub, not served by the double");
                return GitHubGraphQlError.failure(env, "UNSUPPORTED_BY_DOUBLE",
                        "The double does not filter `history` by " + filter + ".");
            }
        }
        ObjectNode node = env.getSource();
        List<ObjectNode> log = CommitLog.from(node.repository().objects(), (Commit) node.object()).stream()
                .map(c -> new ObjectNode(node.repository(), c, null)).toList();
        return pages.page(env, "history", "history " + node.object().sha(), log);
    }

    /** The fields every GitObject has, whichever concrete type it is. */
    private TypeRuntimeWiring.Builder gitObject(TypeRuntimeWiring.Builder type) {
        return type.dataFetcher("abbreviatedOid", object(o -> o.object().sha().substring(0, 7)))
                .dataFetcher("commitResourcePath", object(GraphQlReads::resourcePath))
                .dataFetcher("commitUrl", object(o -> "https://github.com" + resourcePath(o)))
                .dataFetcher("id", object(o -> host.nodeId(o.typeName(), o.object().sha())))
                .dataFetcher("oid", object(o -> o.object().sha()))
                .dataFetcher("repository", object(ObjectNode::repository));
    }

    private static String resourcePath(ObjectNode node) {
        return "/" + node.repository().fullName() + "/commit/" + node.object().sha();
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? null : name.substring(dot);
    }

    private static String messageBody(Commit commit) {
        int newline = commit.message().indexOf('\n');
        return newline < 0 ? "" : commit.message().substring(newline + 1).strip();
    }

    private static Map<String, Object> actor(Person person) {
        Map<String, Object> actor = new LinkedHashMap<>();
        actor.put("name", person.name());
        actor.put("email", person.email());
        actor.put("date", OffsetDateTime.ofInstant(Instant.ofEpochSecond(person.epochSeconds()), ZoneOffset.UTC)
                .toString());
        return actor;
    }

    private static String dateTime(Person person) {
        return Instant.ofEpochSecond(person.epochSeconds()).toString();
    }

    private static DataFetcher<Object> repo(Function<HostedRepository, Object> field) {
        return env -> field.apply(env.getSource());
    }

    private static DataFetcher<Object> refNode(Function<RefNode, Object> field) {
        return env -> field.apply(env.getSource());
    }

    private static DataFetcher<Object> entry(Function<EntryNode, Object> field) {
        return env -> field.apply(env.getSource());
    }

    private static DataFetcher<Object> object(Function<ObjectNode, Object> field) {
        return env -> field.apply(env.getSource());
    }

    private static DataFetcher<Object> blob(Function<Blob, Object> field) {
        return env -> field.apply((Blob) ((ObjectNode) env.getSource()).object());
    }

    private static DataFetcher<Object> commit(Function<Commit, Object> field) {
        return env -> field.apply((Commit) ((ObjectNode) env.getSource()).object());
    }
}
