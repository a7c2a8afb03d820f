package dev.monkeytown.dispatcher.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.monkeytown.dispatcher.registry.AgentDeclaration;
import dev.monkeytown.dispatcher.registry.CronSchedule;

/**
 * An agent as clients see it.
 *
 * @param declared false only in an {@code agent.updated} event for an agent whose declaration was removed or became
 *        invalid
 * @param timeout ISO-8601 duration, e.g. {@code PT30M}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AgentView(String name, boolean declared, String schedule, List<String> paths, String timeout,
        String command, String workflow) {

    public static AgentView of(AgentDeclaration agent) {
        return new AgentView(agent.name(), true, agent.schedule().map(CronSchedule::expression).orElse(null),
                agent.paths(), agent.timeout().toString(), agent.command().orElse(null),
                agent.workflow().orElse(null));
    }

    public static AgentView removed(String name) {
        return new AgentView(name, false, null, null, null, null, null);
    }
}
