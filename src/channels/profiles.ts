/**
 * Each channel's limits (from Telegram's and WhatsApp's documentation), in one place, used by the
 * renderers, the terminal chat's channel simulation and the content check.
 */

/** How a channel shows choices. */
export interface ChannelProfile {
  name: "console" | "web" | "telegram" | "whatsapp";
  /** Longest text message. */
  textMax: number;
  /** Longest text that can carry buttons or a list. */
  choiceBodyMax: number;
  /** Most reply buttons under one message; more become a list. */
  maxButtons: number;
  buttonLabelMax: number;
  /** List messages (WhatsApp): rows in total, row title and description length, button label. */
  list?: {
    rowsMax: number;
    rowTitleMax: number;
    rowDescriptionMax: number;
    buttonMax: number;
    sectionTitleMax: number;
  };
}

export const telegramProfile: ChannelProfile = {
  name: "telegram",
  textMax: 4096,
  choiceBodyMax: 4096,
  maxButtons: 100,
  buttonLabelMax: 64,
  // Lists are shown as keyboards of at most 10 rows, paged with a "more" button, to fit a phone screen.
  list: { rowsMax: 10, rowTitleMax: 64, rowDescriptionMax: 72, buttonMax: 64, sectionTitleMax: 64 },
};

export const whatsappProfile: ChannelProfile = {
  name: "whatsapp",
  textMax: 4096,
  choiceBodyMax: 1024,
  maxButtons: 3,
  buttonLabelMax: 20,
  list: { rowsMax: 10, rowTitleMax: 24, rowDescriptionMax: 72, buttonMax: 20, sectionTitleMax: 24 },
};

export const consoleProfile: ChannelProfile = {
  name: "console",
  textMax: 4096,
  choiceBodyMax: 4096,
  maxButtons: 100,
  buttonLabelMax: 200,
};

export const webProfile: ChannelProfile = { ...consoleProfile, name: "web" };

/** Profiles by name. */
export const profiles = {
  console: consoleProfile,
  web: webProfile,
  telegram: telegramProfile,
  whatsapp: whatsappProfile,
} as const;
