package dev.monkeytown.dispatcher.registry;

import java.util.List;
import java.util.Objects;

/** The raw declaration files at one commit of the default branch, before {@link AgentsFile#parse} checks them. */
public record Declarations(String revision, String agentsYaml, List<String> workflowFiles) {

    public Declarations {
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(agentsYaml, "agentsYaml");
        workflowFiles = List.copyOf(workflowFiles);
    }

    public AgentCatalog parse() {
        return AgentsFile.parse(agentsYaml, workflowFiles);
    }
}
