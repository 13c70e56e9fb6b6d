/**
 * Generic phrasing data for drafting banks: how people rephrase a question colloquially, which words
 * a terse query drops, and which words point to which usual aspect. None of it names a matter.
 */

/** A rewrite rule: every match of `from` becomes `to`, in order. */
interface PhrasingRule {
  from: RegExp;
  to: string;
}

/** Formal phrasing → how people say it (applied in order, so longer phrases come first). */
export const COLLOQUIAL_RULES: readonly PhrasingRule[] = [
  { from: /^(?:请问一下|请问|您好|你好|麻烦问一下|咨询一下)[，,、\s]*/u, to: '' },
  { from: /需要准备哪些/gu, to: '要准备啥' },
  { from: /需要提供哪些|需要提交哪些/gu, to: '要交啥' },
  { from: /需要哪些/gu, to: '要啥' },
  { from: /需要什么/gu, to: '要啥' },
  { from: /是否需要/gu, to: '要不要' },
  { from: /是否可以|能否|可否/gu, to: '能不能' },
  { from: /是否/gu, to: '是不是' },
  { from: /怎样的|怎么样的/gu, to: '啥样的' },
  { from: /如何|怎样/gu, to: '怎么' },
  { from: /多长时间|多少时间|多少天/gu, to: '多久' },
  { from: /什么时候/gu, to: '啥时候' },
  { from: /什么/gu, to: '啥' },
  { from: /办理/gu, to: '办' },
  { from: /提交/gu, to: '交' },
  { from: /携带/gu, to: '带' },
  { from: /前往/gu, to: '去' },
  { from: /居民身份证/gu, to: '身份证' },
  { from: /可以/gu, to: '能' },
  { from: /需要/gu, to: '要' },
];

/** Sentence-final particles a colloquial question may already end with. */
export const FINAL_PARTICLES = /[吗呢啊呀吧么嘛哈不没]$/u;

/** Particle appended to a colloquial question that has none. */
export const COLLOQUIAL_PARTICLE = '啊';

/** Words a terse, search-box query leaves out: politeness, pronouns, modal verbs, particles, generic question words. */
export const TERSE_DROP_WORDS: ReadonlySet<string> = new Set([
  '请问', '请', '您好', '你好', '麻烦', '问', '问一下', '咨询', '一下', '我', '我们', '我的', '您', '你', '自己', '本人',
  '想', '想要', '要', '需要', '需', '应该', '应当', '可以', '能', '能否', '能不能', '是否', '是不是', '会', '得', '该',
  '的', '地', '了', '吗', '呢', '啊', '呀', '吧', '么', '嘛', '哦', '些', '一些', '什么', '啥', '哪些', '如何', '怎么',
  '怎样', '怎么样', '有', '有没有', '是', '在', '去', '到', '给', '把', '被', '和', '与', '及', '还', '也', '都', '就',
  '又', '这个', '那个', '这', '那', '个', '现在', '已经', '如果', '的话',
]);

/** The usual aspect of a government-service question and the words that point to it (first match wins). */
interface AspectCue {
  id: string;
  name: string;
  cues: readonly string[];
}

export const ASPECT_CUES: readonly AspectCue[] = [
  { id: 'materials', name: '申请材料', cues: ['材料', '资料', '带什么', '带啥', '准备什么', '准备啥', '提交什么', '证明'] },
  { id: 'validity', name: '有效期', cues: ['有效期', '过期', '到期', '延期', '续期'] },
  { id: 'time-limit', name: '办理时限', cues: ['多久', '多长时间', '几天', '时限', '多少天', '工作日', '什么时候能'] },
  { id: 'fees', name: '收费', cues: ['费用', '收费', '多少钱', '免费', '交费', '缴费', '要钱', '花钱'] },
  { id: 'place', name: '办理地点', cues: ['哪里', '哪儿', '在哪', '地点', '地址', '窗口', '大厅'] },
  { id: 'conditions', name: '申请条件', cues: ['条件', '资格', '能不能办', '可以办', '符合', '哪些人'] },
  { id: 'process', name: '办理流程', cues: ['流程', '步骤', '程序', '手续', '怎么办', '如何办', '网上', '线上', '怎么申请'] },
];

/** Where a question goes when no cue matches. */
export const FALLBACK_ASPECT = { id: 'general', name: '其他（待分类）' } as const;
