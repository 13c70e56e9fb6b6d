/** Values a request template may use: `{{message}}`, `{{sessionId}}`, `{{turn}}`. */
export interface TemplateVars {
  message: string;
  sessionId: string;
  turn: number;
}

const PLACEHOLDER = /\{\{\s*(message|sessionId|turn)\s*\}\}/g;

/** Fills placeholders in every string of a JSON template; `encode` applies to URLs. */
export function renderTemplate<T>(template: T, vars: TemplateVars, encode: (s: string) => string = (s) => s): T {
  if (typeof template === 'string') {
    return template.replace(PLACEHOLDER, (_, name: keyof TemplateVars) => encode(String(vars[name]))) as T;
  }
  if (Array.isArray(template)) return template.map((v) => renderTemplate(v, vars, encode)) as T;
  if (template && typeof template === 'object') {
    return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, renderTemplate(v, vars, encode)])) as T;
  }
  return template;
}
