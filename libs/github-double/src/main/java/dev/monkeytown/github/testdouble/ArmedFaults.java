package dev.monkeytown.github.testdouble;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Faults a test armed for the next N requests of a kind (writes, GraphQL requests). Each request takes the oldest armed
 * fault that applies to it, so faults armed one after the other hit requests in that order.
 */
final class ArmedFaults {

    private static final class Armed {
        final Predicate<RequestPipeline.Exchange> appliesTo;
        final Fate fate;
        int remaining;

        Armed(Predicate<RequestPipeline.Exchange> appliesTo, Fate fate, int remaining) {
            this.appliesTo = appliesTo;
            this.fate = fate;
            this.remaining = remaining;
        }
    }

    private final List<Armed> armed = new ArrayList<>();

    synchronized void arm(int count, Predicate<RequestPipeline.Exchange> appliesTo, Fate fate) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0: " + count);
        }
        if (count > 0) {
            armed.add(new Armed(appliesTo, fate, count));
        }
    }

    synchronized Fate take(RequestPipeline.Exchange exchange) {
        for (Iterator<Armed> it = armed.iterator(); it.hasNext();) {
            Armed next = it.next();
            if (next.appliesTo.test(exchange)) {
                if (--next.remaining == 0) {
                    it.remove();
                }
                return next.fate;
            }
        }
        return Fate.SERVED;
    }
}
