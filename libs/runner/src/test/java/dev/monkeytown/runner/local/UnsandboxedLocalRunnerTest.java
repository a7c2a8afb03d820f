package dev.monkeytown.runner.local;

/**
 * {@link LocalRunnerTest} without bubblewrap, as on a machine that lacks it: the environment allow-list, masking, the
 * checkout without a remote, hooks that never run outside, and stopping a run's whole process group must all hold
 * without a sandbox too.
 */
class UnsandboxedLocalRunnerTest extends LocalRunnerTest {

    @Override
    Sandbox.Mode sandboxMode() {
        return Sandbox.Mode.NONE;
    }
}
