import type { BarSeriesOption, CustomSeriesOption, HeatmapSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, MarkLineComponentOption, VisualMapComponentOption } from 'echarts/components';
import { init, use, type ComposeOption } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
// Each of these registers itself; importing them one by one rather than through the `echarts/charts`
// and `echarts/components` barrels, which load every chart type, keeps the report's start-up short.
import 'echarts/lib/chart/bar.js';
import 'echarts/lib/chart/custom.js';
import 'echarts/lib/chart/heatmap.js';
import 'echarts/lib/chart/line.js';
import 'echarts/lib/component/grid.js';
import 'echarts/lib/component/legend.js';
import 'echarts/lib/component/markLine.js';
import 'echarts/lib/component/visualMap.js';
import type { Grade } from '../../domain/types.js';

use([SVGRenderer]);

type ChartOption = ComposeOption<
  BarSeriesOption | CustomSeriesOption | HeatmapSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | MarkLineComponentOption | VisualMapComponentOption
>;

/** Fonts the reader's machine has: the report must load nothing. */
const FONT_STACK = 'system-ui, -apple-system, "Segoe UI", "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';

/** Fills per grade; `none` is an unscored target. */
export const GRADE_COLORS: Readonly<Record<Grade | 'none', string>> = {
  excellent: '#2e7d32',
  good: '#1565c0',
  average: '#ef8f00',
  poor: '#c62828',
  none: '#9e9e9e',
};

/** One colour per score, in the order of the score columns. */
export const SCORE_COLORS = ['#37474f', '#1565c0', '#00897b', '#8e24aa', '#f9a825'] as const;

/**
 * Renders one chart to an SVG string on the server (ECharts SSR). Animation is off so the SVG holds
 * the final frame; the SVG keeps its viewBox, so CSS can scale it.
 */
export function renderSvg(option: ChartOption, width: number, height: number): string {
  const chart = init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: FONT_STACK }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
