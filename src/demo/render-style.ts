import type { Persona } from '../config/targets-schema.js';
import { pick } from './prng.js';

type ReplyStyle = Persona['style'];

/** What a reply is about, shown by padded and HTML personas the way portal bots title their answers. */
export interface ReplyTopic {
  matterName: string;
  aspectName?: string;
}

/**
 * Dresses a reply body in a persona's style. The padding is free of numbers, negations and key-point
 * vocabulary, so it never changes how the answer is judged — only how much a reader has to skip.
 */
export function renderStyle(style: ReplyStyle, body: string, topic: ReplyTopic | undefined, u: number): string {
  if (style === 'plain') return body;
  const title = topic ? `关于「${topic.matterName}」${topic.aspectName ? `的${topic.aspectName}` : ''}，为您查询到以下信息：` : '';
  if (style === 'padded') {
    const greeting = pick(['您好！', '您好，感谢您使用政务服务智能客服！', '尊敬的用户，您好！'], u);
    const tip = topic ? `\n温馨提示：以上内容仅供参考，具体以窗口受理要求为准。` : '';
    return `${greeting}${title}\n${body}${tip}\n感谢您的咨询，祝您生活愉快！`;
  }
  return `${title ? `<p>${escapeHtml(title)}</p>` : ''}${toHtml(body)}`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const LIST_MARKER = /^\s*(?:\d+[.、．)）]|[（(](?:\d+|[一二三四五六七八九十]+)[）)]|[①②③④⑤⑥⑦⑧⑨⑩])\s*/;

/**
 * Lines that are numbered become an ordered list; a single line of 「lead：A；B；C。」 becomes a lead
 * paragraph and a list; other lines are paragraphs joined by <br>.
 */
function toHtml(body: string): string {
  const lines = body.split('\n').map((l) => l.trim()).filter(Boolean);
  const out: string[] = [];
  let items: string[] = [];
  let para: string[] = [];
  const flushItems = () => {
    if (items.length) out.push(`<ol>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ol>`);
    items = [];
  };
  const flushPara = () => {
    if (para.length) out.push(`<p>${para.map(escapeHtml).join('<br>')}</p>`);
    para = [];
  };
  for (const line of lines) {
    if (LIST_MARKER.test(line)) {
      flushPara();
      items.push(line.replace(LIST_MARKER, ''));
      continue;
    }
    flushItems();
    const inline = /^([^：:]{1,40}[：:])([^。]*；[^。]*)(。?)(.*)$/.exec(line);
    if (inline && lines.length === 1) {
      out.push(`<p>${escapeHtml(inline[1]!)}</p>`);
      out.push(`<ol>${inline[2]!.split('；').filter(Boolean).map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ol>`);
      if (inline[4]) out.push(`<p>${escapeHtml(inline[4])}</p>`);
      continue;
    }
    para.push(line);
  }
  flushItems();
  flushPara();
  return out.join('');
}
