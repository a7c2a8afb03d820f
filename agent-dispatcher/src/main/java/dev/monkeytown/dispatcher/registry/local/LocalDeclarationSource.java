package dev.monkeytown.dispatcher.registry.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.util.io.DisabledOutputStream;

import dev.monkeytown.dispatcher.registry.AgentsFile;
import dev.monkeytown.dispatcher.registry.DeclarationSource;
import dev.monkeytown.dispatcher.registry.Declarations;

/** Declarations on the default branch of the local Monkeytown repository (the embedded default), read with JGit. */
public final class LocalDeclarationSource implements DeclarationSource, AutoCloseable {

    private final Repository repository;
    private final String branch;

    public LocalDeclarationSource(Path repositoryDirectory, String branch) throws IOException {
        this.repository = Git.open(repositoryDirectory.toFile()).getRepository();
        this.branch = branch;
    }

    @Override
    public Optional<String> revision() throws IOException {
        Ref ref = repository.exactRef("refs/heads/" + branch);
        return ref == null || ref.getObjectId() == null ? Optional.empty() : Optional.of(ref.getObjectId().name());
    }

    @Override
    public Declarations read(String revision) throws IOException {
        try (RevWalk walk = new RevWalk(repository)) {
            RevCommit commit = walk.parseCommit(ObjectId.fromString(revision));
            String agentsYaml = "";
            try (TreeWalk file = TreeWalk.forPath(repository, AgentsFile.PATH, commit.getTree())) {
                if (file != null && file.getFileMode(0).getObjectType() == org.eclipse.jgit.lib.Constants.OBJ_BLOB) {
                    agentsYaml = new String(repository.open(file.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
                }
            }
            return new Declarations(revision, agentsYaml, workflowFiles(commit));
        }
    }

    @Override
    public Optional<List<String>> changedPaths(String fromRevision, String toRevision) throws IOException {
        try (RevWalk walk = new RevWalk(repository);
                DiffFormatter diff = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
            diff.setRepository(repository);
            RevCommit from = walk.parseCommit(ObjectId.fromString(fromRevision));
            RevCommit to = walk.parseCommit(ObjectId.fromString(toRevision));
            TreeSet<String> paths = new TreeSet<>();
            for (DiffEntry entry : diff.scan(from.getTree(), to.getTree())) {
                if (!DiffEntry.DEV_NULL.equals(entry.getOldPath())) {
                    paths.add(entry.getOldPath());
                }
                if (!DiffEntry.DEV_NULL.equals(entry.getNewPath())) {
                    paths.add(entry.getNewPath());
                }
            }
            return Optional.of(List.copyOf(paths));
        } catch (MissingObjectException e) {
            // a commit the repository does not have (a rewritten default branch): the changes cannot be told apart
            return Optional.empty();
        }
    }

    private List<String> workflowFiles(RevCommit commit) throws IOException {
        List<String> names = new ArrayList<>();
        try (TreeWalk directory = TreeWalk.forPath(repository, AgentsFile.WORKFLOWS_DIRECTORY, commit.getTree())) {
            if (directory == null || directory.getFileMode(0) != FileMode.TREE) {
                return names;
            }
            try (TreeWalk entries = new TreeWalk(repository)) {
                entries.addTree(directory.getObjectId(0));
                while (entries.next()) {
                    if (entries.getFileMode(0) != FileMode.TREE) {
                        names.add(entries.getNameString());
                    }
                }
            }
        }
        return names;
    }

    @Override
    public void close() {
        repository.close();
    }
}
