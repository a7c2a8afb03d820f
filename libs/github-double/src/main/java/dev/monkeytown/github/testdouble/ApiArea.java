package dev.monkeytown.github.testdouble;

/**
 * One area of GitHub's API (git data, GraphQL, repositories, ...). New areas (Actions' workflow_dispatch, check runs)
 * plug into the double without touching the existing ones.
 */
public interface ApiArea {

    void register(Routes routes);
}
