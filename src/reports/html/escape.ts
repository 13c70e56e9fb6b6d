import { stripUnsafe } from '../../text/sanitize.js';

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Makes untrusted text (chatbot replies, rationales, names from config) inert in HTML element content
 * and in quoted attribute values: the five special characters become entities, and escape sequences,
 * control characters and bidi overrides are dropped so text displays as what it is.
 */
export function esc(text: string): string {
  return stripUnsafe(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}
