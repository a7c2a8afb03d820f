package dev.monkeytown.build.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** @param next the {@code cursor} for the following page; absent on the last page */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildPage(List<BuildView> builds, String next) {
}
