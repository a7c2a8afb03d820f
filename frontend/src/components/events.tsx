import { useSnapshot } from '../context';
import type { Topic } from '../live/connection';
import { When } from './common';

/** The latest events of some topics as they arrived: what happened, even where the page shows no record of it (alerts). */
export function RecentEvents({ topics }: { topics: Topic[] }) {
  const { recent } = useSnapshot();
  const events = topics.flatMap((topic) => recent[topic]).sort((a, b) => (b.time ?? '').localeCompare(a.time ?? ''));
  return (
    <section aria-labelledby="events">
      <h2 id="events">Live events</h2>
      {events.length === 0 ? (
        <p className="muted">No {topics.join(' or ')} events since this page opened.</p>
      ) : (
        <ul className="rows">
          {events.slice(0, 20).map((event) => (
            <li key={`${event.topic}:${event.epoch}:${event.offset}`} className="row-item">
              <span className="mono">{event.event}</span>
              {event.subject && <span>{event.subject}</span>}
              <span className="muted">
                <When at={event.time} />
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
