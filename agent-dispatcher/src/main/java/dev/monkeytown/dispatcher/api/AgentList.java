package dev.monkeytown.dispatcher.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.monkeytown.dispatcher.registry.DeclarationProblem;

/**
 * @param revision the default-branch commit the declarations were read from
 * @param problems declarations that were skipped, and why; the agents listed are the valid ones
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AgentList(String revision, List<AgentView> agents, List<Problem> problems) {

    public record Problem(String file, String agent, String field, String message) {
        static Problem of(DeclarationProblem problem) {
            return new Problem(problem.file(), problem.agent().orElse(null), problem.field().orElse(null),
                    problem.message());
        }
    }
}
