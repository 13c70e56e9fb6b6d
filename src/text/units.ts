/**
 * Unit normalisation (SPEC §2): 天 = 日, 月 = 个月, 岁 = 周岁; 工作日 is its own unit. Scaled units
 * (万元) become their base unit with a factor, so 3万元 and 30000元 compare equal.
 */

/** A canonical unit and the factor from the written unit to it. */
interface CanonicalUnit {
  unit: string;
  factor: number;
}

const ALIASES: Readonly<Record<string, CanonicalUnit>> = {
  个工作日: { unit: '工作日', factor: 1 },
  工作日: { unit: '工作日', factor: 1 },
  天: { unit: '日', factor: 1 },
  日: { unit: '日', factor: 1 },
  个自然日: { unit: '日', factor: 1 },
  自然日: { unit: '日', factor: 1 },
  个日历日: { unit: '日', factor: 1 },
  日历日: { unit: '日', factor: 1 },
  月: { unit: '个月', factor: 1 },
  个月: { unit: '个月', factor: 1 },
  年: { unit: '年', factor: 1 },
  周年: { unit: '年', factor: 1 },
  岁: { unit: '周岁', factor: 1 },
  周岁: { unit: '周岁', factor: 1 },
  周: { unit: '周', factor: 1 },
  个周: { unit: '周', factor: 1 },
  星期: { unit: '周', factor: 1 },
  个星期: { unit: '周', factor: 1 },
  小时: { unit: '小时', factor: 1 },
  个小时: { unit: '小时', factor: 1 },
  钟头: { unit: '小时', factor: 1 },
  分钟: { unit: '分钟', factor: 1 },
  元: { unit: '元', factor: 1 },
  块: { unit: '元', factor: 1 },
  块钱: { unit: '元', factor: 1 },
  元人民币: { unit: '元', factor: 1 },
  万元: { unit: '元', factor: 1e4 },
  千元: { unit: '元', factor: 1e3 },
  亿元: { unit: '元', factor: 1e8 },
  '%': { unit: '%', factor: 1 },
  '％': { unit: '%', factor: 1 },
  平方米: { unit: '平方米', factor: 1 },
  平米: { unit: '平方米', factor: 1 },
  '㎡': { unit: '平方米', factor: 1 },
  公里: { unit: '公里', factor: 1 },
  千米: { unit: '公里', factor: 1 },
  公斤: { unit: '千克', factor: 1 },
  千克: { unit: '千克', factor: 1 },
};

/**
 * The canonical form of a unit as written in a bank or an answer: 天 → 日, 个工作日 → 工作日,
 * 月 → 个月, 岁 → 周岁, 万元 → 元 ×10000. Unknown units are returned trimmed, factor 1.
 */
export function canonicalUnit(unit: string): CanonicalUnit {
  const u = unit.normalize('NFKC').replace(/\s+/g, '');
  return ALIASES[u] ?? { unit: u, factor: 1 };
}

/** Value and unit of a bank fact in canonical form (value 3, unit 万元 → 30000 元). */
export function normalizeFactValue(value: number, unit: string): { value: number; unit: string } {
  const c = canonicalUnit(unit);
  return { value: value * c.factor, unit: c.unit };
}
