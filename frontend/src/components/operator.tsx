// Operator controls for the builds and deployments pages, made the way TriggerRun and CancelRun are: shown only with a
// token, the request sent by api/client (bearer header, never a URL), a refusal's problem title and detail said next to
// the control in a live region, never thrown.

import { type FormEvent, type KeyboardEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useToken } from '../context';
import { useAction } from './common';

export interface OperatorActionProps {
  /** the button's text */
  label: string;
  /** what the button does, for a screen reader ("Retry build 01J…") */
  ariaLabel: string;
  busyLabel: string;
  secondary?: boolean;
  /** ask for a reason first; `required` when the API refuses without one */
  reason?: { label: string; required: boolean };
  /** ask to confirm first, with this question */
  confirm?: ReactNode;
  /** the submit button's text when a form is shown */
  submitLabel?: string;
  /** the request; what it resolves to is said in the status region */
  perform: (reason: string | undefined) => Promise<ReactNode | void>;
  /**
   * false once the record no longer allows the action (a build ended, a hold lifted): the control goes, what the last
   * request said stays — so keep rendering the component rather than dropping it
   */
  offered?: boolean;
}

export function OperatorAction({
  label,
  ariaLabel,
  busyLabel,
  secondary,
  reason,
  confirm,
  submitLabel,
  perform,
  offered = true,
}: OperatorActionProps) {
  const token = useToken();
  const action = useAction();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [done, setDone] = useState<ReactNode>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const said = useRef<HTMLSpanElement>(null);
  const wasOpen = useRef(false);
  const id = useId();
  // a closed form hands the focus back to the button that opened it, so a keyboard user stays where they were; when
  // the action is no longer offered (it did its work), to what it said
  useEffect(() => {
    if (wasOpen.current && !open) (opener.current ?? said.current)?.focus();
    wasOpen.current = open;
  }, [open]);
  const wasOffered = useRef(offered);
  useEffect(() => {
    const lost = document.activeElement === document.body || document.activeElement === null;
    if (wasOffered.current && !offered && lost) said.current?.focus();
    wasOffered.current = offered;
  }, [offered]);
  const shown = offered || action.pending;
  // nothing to offer and nothing said: no element at all (an empty one would still take a gap in the row). The status
  // region exists whenever a request is in flight, so what it comes to say is announced.
  if (!token || (!shown && !done && !action.error)) return null;

  const go = (value: string | undefined) =>
    action.run(async () => {
      setDone(null);
      const result = await perform(value);
      setDone(result ?? null);
      setOpen(false);
      setText('');
    });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void go(reason ? text.trim() || undefined : undefined);
  };
  const escape = (event: KeyboardEvent) => {
    if (event.key === 'Escape') setOpen(false);
  };
  const asks = !!reason || confirm !== undefined;

  return (
    <span className="action">
      {shown && !open && (
        <button
          ref={opener}
          type="button"
          className={secondary ? 'secondary' : undefined}
          onClick={() => (asks ? setOpen(true) : void go(undefined))}
          disabled={action.pending}
          aria-label={ariaLabel}
        >
          {action.pending && !asks ? busyLabel : label}
        </button>
      )}
      {shown && open && (
        <form className="inline-form" onSubmit={submit} onKeyDown={escape} aria-label={ariaLabel}>
          {confirm !== undefined && <span>{confirm}</span>}
          {reason && (
            <>
              <label htmlFor={id}>{reason.label}</label>
              <input
                id={id}
                type="text"
                value={text}
                onChange={(e) => setText(e.target.value)}
                required={reason.required}
                maxLength={500}
                autoComplete="off"
                autoFocus
              />
            </>
          )}
          <span className="row">
            <button type="submit" disabled={action.pending} autoFocus={!reason}>
              {action.pending ? busyLabel : (submitLabel ?? label)}
            </button>
            <button type="button" className="secondary" onClick={() => setOpen(false)}>
              Close
            </button>
          </span>
        </form>
      )}
      <span role="status" className="action-result" ref={said} tabIndex={-1}>
        {action.error ? <span className="error">{action.error}</span> : done}
      </span>
    </span>
  );
}
