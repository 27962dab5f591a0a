/**
 * The main menu. It lists only the features that exist: each feature's flow
 * brings its own menu entry, and entries can hide themselves (for example
 * "review" when nothing is due).
 */
import { assign, emit, setup } from "xstate";
import {
  ask,
  exitOutput,
  type FlowDefinition,
  type FlowInput,
  flowTypes,
  type Msg,
  msg,
  type ReplyChoice,
} from "./kit.ts";

interface MenuContext {
  items: ReplyChoice[];
  /** Right after onboarding: the line of the entry that asked to come first then (its `afterOnboarding`). */
  welcome: Msg | null;
}

/** The prefix of a menu choice id; the rest is the flow id it opens. */
const goPrefix = "go.";

function menuItems(flows: readonly FlowDefinition[], facts: FlowInput["facts"]): ReplyChoice[] {
  return flows
    .filter((f) => f.menu && (f.menu.visible?.(facts) ?? true))
    .sort((a, b) => (a.menu?.order ?? 0) - (b.menu?.order ?? 0))
    .map((f) => ({
      id: `${goPrefix}${f.id}`,
      label: labelOf(f, facts),
      ...(f.menu?.description ? { description: f.menu.description } : {}),
    }));
}

function labelOf(flow: FlowDefinition, facts: FlowInput["facts"]): Msg {
  const label = flow.menu?.label;
  if (!label) return msg("common.raw", { text: flow.id });
  return typeof label === "function" ? label(facts) : label;
}

/**
 * Builds the menu flow over the features registered so far.
 *
 * @example
 * const menu = createMenuFlow([settingsFlow, privacyFlow]);
 */
export function createMenuFlow(features: readonly FlowDefinition[]): FlowDefinition {
  const machine = setup({
    types: flowTypes<MenuContext>(),
    guards: {
      pickedItem: ({ context, event }) =>
        event.type === "user.choice" && context.items.some((i) => i.id === event.choiceId),
    },
    actions: {
      showMenu: emit(({ context }) =>
        ask(context.welcome ? [context.welcome, msg("menu.title")] : [msg("menu.title")], context.items),
      ),
    },
  }).createMachine({
    id: "menu",
    output: ({ event }) => exitOutput({ event }),
    context: ({ input }) => {
      const items = menuItems(features, input.facts);
      const first =
        input.params.after === "onboarding"
          ? features.find((f) => f.menu?.afterOnboarding && items.some((i) => i.id === `${goPrefix}${f.id}`))
          : undefined;
      const firstItem = first ? items.find((i) => i.id === `${goPrefix}${first.id}`) : undefined;
      return {
        items: firstItem ? [firstItem, ...items.filter((i) => i !== firstItem)] : items,
        welcome: firstItem ? (first?.menu?.afterOnboarding ?? null) : null,
      };
    },
    initial: "showing",
    states: {
      showing: {
        entry: "showMenu",
        on: {
          "user.choice": { guard: "pickedItem", target: "chosen" },
          "nav.back": { target: "showing", reenter: true, actions: assign({ welcome: null }) },
        },
      },
      chosen: {
        type: "final",
        output: ({ event }) => ({
          next: event.type === "user.choice" ? event.choiceId.slice(goPrefix.length) : "menu",
        }),
      },
    },
  });
  return { id: "menu", version: 1, machine, sharesSteps: true };
}
