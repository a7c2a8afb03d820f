package dev.monkeytown.runner.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/** A real local repository with one commit on {@code main}, as the embedded mode seeds it. */
final class LocalGitRepository {

    final Path directory;

    private LocalGitRepository(Path directory) {
        this.directory = directory;
    }

    static LocalGitRepository withOneCommit(Path directory) throws IOException, GitAPIException {
        try (Git git = Git.init().setDirectory(directory.toFile()).setInitialBranch("main").call()) {
            Files.writeString(directory.resolve("README.md"), "agents live here\n", StandardCharsets.UTF_8);
            git.add().addFilepattern("README.md").call();
            git.commit().setMessage("seed").setAuthor("seed", "seed@monkeytown").setCommitter("seed", "seed@monkeytown")
                    .setSign(false).call();
        }
        return new LocalGitRepository(directory);
    }

    /** Commits a file on {@code branch}, creating the branch from {@code main} first if needed; the new commit's id. */
    String commit(String branch, String path, String content) throws IOException, GitAPIException {
        try (Git git = Git.open(directory.toFile())) {
            if (git.getRepository().exactRef("refs/heads/" + branch) == null) {
                git.branchCreate().setName(branch).setStartPoint("main").call();
            }
            git.checkout().setName(branch).call();
            Files.writeString(directory.resolve(path), content, StandardCharsets.UTF_8);
            git.add().addFilepattern(path).call();
            String id = git.commit().setMessage("change " + path).setAuthor("seed", "seed@monkeytown")
                    .setCommitter("seed", "seed@monkeytown").setSign(false).call().getName();
            git.checkout().setName("main").call();
            return id;
        }
    }

    Optional<ObjectId> branchTip(String branch) throws IOException {
        try (Repository repository = Git.open(directory.toFile()).getRepository()) {
            return Optional.ofNullable(repository.resolve("refs/heads/" + branch));
        }
    }

    /** The content of a file at a branch's tip, empty when the branch or the file is missing. */
    Optional<String> fileAt(String branch, String path) throws IOException {
        try (Repository repository = Git.open(directory.toFile()).getRepository(); RevWalk walk = new RevWalk(repository)) {
            ObjectId tip = repository.resolve("refs/heads/" + branch);
            if (tip == null) {
                return Optional.empty();
            }
            try (TreeWalk tree = TreeWalk.forPath(repository, path, walk.parseCommit(tip).getTree())) {
                if (tree == null) {
                    return Optional.empty();
                }
                return Optional.of(new String(repository.open(tree.getObjectId(0)).getBytes(), StandardCharsets.UTF_8));
            }
        }
    }
}
