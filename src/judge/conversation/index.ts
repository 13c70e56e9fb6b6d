/** Conversation scores (issue 16): a played scenario scored, and the two simulated citizens compared. */
export { scoreConversation, type ConversationEnd, type ConversationInput } from './score.js';
export { compareCitizens, type CitizenComparison, type CitizenDisagreement, type CitizenOutcome } from './compare-citizens.js';
