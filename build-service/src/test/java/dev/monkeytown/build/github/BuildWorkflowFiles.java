package dev.monkeytown.build.github;

/** Build workflows as a repository in GitHub mode holds them: the contract {@code docs/builds.md} states. */
public final class BuildWorkflowFiles {

    private BuildWorkflowFiles() {
    }

    /** {@code .github/workflows/<file>} */
    public static String path(String file) {
        return ".github/workflows/" + file;
    }

    /**
     * Dispatchable with the inputs build-service sends ({@code run_id}, which the title carries, {@code build_id},
     * {@code sha}), checking out the build's commit and uploading {@code dist/} as the artifact {@code dist}.
     */
    public static String dispatchable(String pipeline) {
        return """
                name: build %1$s
                run-name: "build %1$s ${{ inputs.run_id }}"
                on:
                  workflow_dispatch:
                    inputs:
                      run_id:
                        description: Monkeytown attempt id (<build-id>-<attempt>)
                        required: true
                      build_id:
                        description: Monkeytown build id
                        required: true
                      sha:
                        description: the commit to build
                        required: true
                permissions:
                  contents: read
                jobs:
                  build:
                    runs-on: ubuntu-latest
                    steps:
                      - uses: actions/checkout@v4
                        with:
                          ref: ${{ inputs.sha }}
                      - run: ./build.sh
                      - uses: actions/upload-artifact@v4
                        with:
                          name: dist
                          path: dist/
                """.formatted(pipeline);
    }
}
