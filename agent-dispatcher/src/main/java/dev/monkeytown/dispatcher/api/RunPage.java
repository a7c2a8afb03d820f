package dev.monkeytown.dispatcher.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.monkeytown.dispatcher.runs.RunView;

/**
 * @param next the {@code cursor} for the following page; absent on the last page
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunPage(List<RunView> runs, String next) {
}
