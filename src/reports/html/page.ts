import { createHash } from 'node:crypto';
import { GRADE_COLORS } from './charts.js';
import { esc } from './escape.js';

/**
 * The page's one script: sorts `table.sortable` by the clicked header (numbers by `data-sort`,
 * text by a Chinese-aware collation; unmeasured cells last either way). Static: no data is ever
 * spliced into it, so its hash can stand in the Content-Security-Policy.
 */
const SORT_SCRIPT = `(() => {
  const collator = new Intl.Collator(['zh-Hans', 'en'], { numeric: true });
  for (const table of document.querySelectorAll('table.sortable')) {
    const heads = [...table.tHead.rows[0].cells];
    heads.forEach((th, col) => {
      th.tabIndex = 0;
      const sort = () => {
        const asc = th.getAttribute('aria-sort') !== 'ascending';
        for (const h of heads) h.removeAttribute('aria-sort');
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        const numeric = th.dataset.type === 'num';
        const key = (row) => {
          const cell = row.cells[col];
          if (!cell) return null;
          if (!numeric) return cell.textContent;
          const v = cell.dataset.sort;
          return v === undefined || v === '' ? null : Number(v);
        };
        const body = table.tBodies[0];
        const rows = [...body.rows].map((row) => [key(row), row]);
        rows.sort(([a], [b]) => {
          if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
          const d = numeric ? a - b : collator.compare(a, b);
          return asc ? d : -d;
        });
        body.append(...rows.map(([, row]) => row));
      };
      th.addEventListener('click', sort);
      th.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); }
      });
    });
  }
})();`;

const SCRIPT_HASH = createHash('sha256').update(SORT_SCRIPT).digest('base64');

/**
 * Nothing may be fetched: no scripts but the one above (by hash, so even markup that slipped past
 * escaping could not run, nor could inline event handlers), inline styles for the charts' SVG,
 * images only as data: URLs, no forms, no base URL.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `script-src 'sha256-${SCRIPT_HASH}'`,
  "style-src 'unsafe-inline'",
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const grades = Object.entries(GRADE_COLORS)
  .map(([g, c]) => `.g-${g}{background:${c}}`)
  .join('');

const CSS = `
:root{color-scheme:light;--fg:#212121;--muted:#616161;--line:#e0e0e0;--bg:#fafafa}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI","PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:var(--fg);background:#fff}
header,main{max-width:1200px;margin:0 auto;padding:0 20px}
header{padding-top:16px}
h1{font-size:22px;margin:8px 0}
h2{font-size:18px;margin:32px 0 8px;padding-top:8px;border-top:1px solid var(--line)}
h3{font-size:15px;margin:16px 0 6px}
nav{display:flex;flex-wrap:wrap;gap:4px 14px;margin:8px 0 0}
nav a{color:#1565c0;text-decoration:none}
.meta{color:var(--muted);margin:4px 0}
.note{color:var(--muted);font-size:13px;margin:6px 0}
.warn{background:#fff8e1;border-left:4px solid #ef8f00;padding:6px 10px;margin:8px 0}
.chart{margin:8px 0}
.chart svg{display:block;max-width:100%;height:auto}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:16px;align-items:start}
.key{display:flex;flex-wrap:wrap;gap:6px 12px;font-size:12px;margin:4px 0}
.key span::before{content:"";display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:-1px;background:var(--c)}
.table-wrap{overflow-x:auto;margin:8px 0}
table{border-collapse:collapse;font-size:13px;min-width:50%}
th,td{padding:4px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:var(--bg);position:sticky;top:0;cursor:pointer;user-select:none;white-space:nowrap}
th:focus{outline:2px solid #1565c0}
th[aria-sort=ascending]::after{content:" ▲"}
th[aria-sort=descending]::after{content:" ▼"}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.badge{display:inline-block;color:#fff;border-radius:3px;padding:0 6px;font-size:12px;white-space:nowrap}
${grades}
.v-incorrect{background:#c62828}.v-no-answer{background:#6d4c41}.v-partial{background:#ef8f00}.v-failed{background:#616161}
.critical{background:#000}
details.target{border:1px solid var(--line);border-radius:4px;margin:8px 0;padding:0 12px}
details.target>summary{cursor:pointer;padding:8px 0;font-weight:600}
article.answer{border-top:1px solid var(--line);padding:8px 0}
.turn{margin:6px 0;padding:6px 10px;border-radius:4px;white-space:pre-wrap;overflow-wrap:anywhere}
.turn.user{background:#e3f2fd}
.turn.bot{background:var(--bg);border:1px solid var(--line)}
.turn .who{display:block;font-size:11px;color:var(--muted);white-space:normal}
.evidence{font-size:12px;color:var(--muted);margin:-2px 0 6px 10px}
details.raw>summary{cursor:pointer}
details.raw pre{white-space:pre-wrap;overflow-wrap:anywhere;max-height:20em;overflow:auto;background:var(--bg);padding:6px;margin:4px 0}
article.case{border-top:1px solid var(--line);padding:4px 0}
article.case ol{margin:4px 0;padding-left:20px}
.rationale{font-size:13px;color:#424242;white-space:pre-wrap;overflow-wrap:anywhere}
dl.config{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:8px 0}
dl.config dt{color:var(--muted)}
dl.config dd{margin:0}
@media print{th{position:static}.chart svg{max-width:100%}}
`;

/** The whole document around an already-built body. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="govbench">
<title>${esc(title)}</title>
<link rel="icon" href="data:,">
<style>${CSS}</style>
</head>
<body>
${body}
<script>${SORT_SCRIPT}</script>
</body>
</html>
`;
}
