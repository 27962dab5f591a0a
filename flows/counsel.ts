/**
 * A conversation with a return counsellor through Lotse. A counsellor's
 * message from the console starts this flow in the person's chat (the engine's
 * `startProactively`): it shows the message marked as from a counsellor of the
 * organisation, says how to answer and how to end, and then passes whatever
 * the person types to the counsellor, until either side ends it. The person
 * ends it with a button or an end word in any language (`return.counsel.endWords`);
 * global words (menu, stop, delete my data) work here as everywhere.
 *
 * Params: `message` (the counsellor's text, with `first` on the first message
 * of a conversation), or `ended: "counsellor"` when the counsellor ended it.
 * Without params the person opened it themselves ("Write to the counsellor").
 */
import { emit, setup } from "xstate";
import {
  effect,
  exitOutput,
  type FlowDefinition,
  type FlowEmitted,
  flowTypes,
  type Line,
  msg,
  picked,
  type Reply,
  type ReplyChoice,
  say,
} from "./kit.ts";

interface CounselContext {
  /** The counsellor's message this conversation step shows, if any. */
  message: string | null;
  first: boolean;
  endedByCounsellor: boolean;
}

/** What the flow is built with. */
export interface CounselOptions {
  /** The organisation behind the counsellors (ORG_NAME), named in every message from them. */
  orgName: string;
  /** Whether a whole typed message is an end word in any language ("end", "إنهاء", "پایان"). */
  isEndWord: (text: string) => boolean;
}

/** The choice that ends the conversation. */
export const endChoiceId = "counsel.end";

/**
 * The ending button. Its label has several words in every language, so a
 * message that merely contains one of them ("the end of my contract") is not
 * taken for it by choice matching.
 */
export const endChoice: ReplyChoice = { id: endChoiceId, label: msg("return.counsel.end") };

/**
 * A message with the end button. Numbers are the person's words here ("2 children"), never the
 * number of the button.
 *
 * @example
 * const reply = withEnd([msg("return.counsel.sent")]);
 */
export function withEnd(lines: Line[]): Reply {
  return { kind: "choices", lines, choices: [endChoice], numbersAreAnswers: true };
}

const askWithEnd = (lines: Line[]): FlowEmitted => ({ type: "bot.reply", reply: withEnd(lines) });

/**
 * Builds the counsel flow.
 *
 * @example
 * registry.addFlow(createCounselFlow({ orgName: "Lotse", isEndWord: (t) => t === "end" }));
 * await engine.startProactively(tx, address, "counsel", { message: "Hello", first: "1" }, now, "reply");
 */
export function createCounselFlow(options: CounselOptions): FlowDefinition {
  const org = options.orgName;

  const opening = (context: CounselContext): Line[] =>
    context.message === null
      ? [msg("return.counsel.open", { org })]
      : [
          msg("return.counsel.from", { org, text: context.message }),
          msg(context.first ? "return.counsel.howFirst" : "return.counsel.how", { org }),
        ];

  const machine = setup({
    types: flowTypes<CounselContext>(),
    guards: {
      picked,
      endedByCounsellor: ({ context }) => context.endedByCounsellor,
      endWord: ({ event }) => event.type === "user.text" && options.isEndWord(event.text),
    },
    actions: {
      show: emit(({ context }) => askWithEnd(opening(context))),
      // The feature answers: "sent" with the end button, or that the conversation is no longer open.
      forward: emit(({ event }) =>
        effect({ kind: "feature.counsel.say", data: { text: event.type === "user.text" ? event.text.trim() : "" } }),
      ),
      textOnly: emit(() => askWithEnd([msg("return.counsel.textOnly")])),
      end: emit(() => effect({ kind: "feature.counsel.end", data: {} })),
      confirmEnded: emit(() => say(msg("return.counsel.ended"))),
      sayEndedByCounsellor: emit(() => say(msg("return.counsel.endedByCounsellor", { org }))),
      sayPaused: emit(() => say(msg("return.counsel.paused"))),
    },
  }).createMachine({
    id: "counsel",
    output: exitOutput,
    context: ({ input }) => ({
      message: input.params.message?.trim() ? input.params.message : null,
      first: input.params.first === "1",
      endedByCounsellor: input.params.ended === "counsellor",
    }),
    initial: "entry",
    states: {
      entry: {
        always: [
          { guard: "endedByCounsellor", target: "closed", actions: "sayEndedByCounsellor" },
          { target: "talking" },
        ],
      },
      talking: {
        entry: "show",
        on: {
          "user.text": [
            { guard: "endWord", target: "ended", actions: ["end", "confirmEnded"] },
            { actions: "forward" },
          ],
          "user.choice": {
            guard: { type: "picked", params: { id: endChoiceId } },
            target: "ended",
            actions: ["end", "confirmEnded"],
          },
          "user.media": { actions: "textOnly" },
          "user.location": { actions: "textOnly" },
          // Leaving keeps the conversation open: the counsellor's next message brings the person back.
          "nav.back": { target: "left", actions: "sayPaused" },
        },
      },
      ended: { type: "final", output: { next: "menu" } },
      left: { type: "final", output: { next: "menu" } },
      // The counsellor ended it: say so and leave the person where nothing waits for an answer.
      closed: { type: "final", output: { next: null } },
    },
  });

  return { id: "counsel", version: 1, machine, takesFreeText: true };
}
