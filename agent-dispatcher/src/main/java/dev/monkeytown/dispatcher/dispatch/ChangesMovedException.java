package dev.monkeytown.dispatcher.dispatch;

/** The processed default-branch head moved while the changes since it were being worked out: work them out again. */
public class ChangesMovedException extends RuntimeException {

    public ChangesMovedException(String message) {
        super(message);
    }
}
