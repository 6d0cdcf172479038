/** The shared dialogues a bot may include (data/chatbot/shared-dialogues.json; crisis is always on), in the order the console offers them (test/console-chatbot-shared.test.ts keeps it to the server's bank). */
export const SHARED_IDS = ['greet', 'help', 'goodbye', 'find-services', 'crisis', 'opening-hours', 'handover', 'life-check', 'take-story'] as const;
