// Charts: Chart.js from Debian's libjs-chart.js, embedded in the collector like the rest of the
// console (/js/vendor/chart.min.js). Its UMD build puts `Chart` on the global object, with every
// chart type registered. Every chart comes with a table of the same figures, for screen readers,
// for print and for anyone who prefers numbers; a bar or a row links to the events behind it.
import '../vendor/chart.min.js';
import { el, table } from './dom.js';
import { numberFormat } from './format.js';

const Chart = globalThis.Chart;

// Colours that keep 3:1 contrast against white (WCAG 1.4.11) and stay apart for the common
// kinds of colour blindness.
const PALETTE = ['#1d70b8', '#d4351c', '#00703c', '#6f72af', '#b58840', '#912b88', '#28a197', '#505a5f'];

// Chart.js keeps every chart in a registry of its own, so a chart whose page was redrawn is
// destroyed when the next one is made (pages that refresh would otherwise pile them up).
const live = new Set();

function destroyDetached() {
  for (const chart of live) {
    if (!chart.canvas || !chart.canvas.isConnected) {
      chart.destroy();
      live.delete(chart);
    }
  }
}

function drawWhenAttached(canvas, config) {
  // Chart.js measures its parent, so it is created once the canvas is on the page.
  const start = () => {
    if (!canvas.isConnected) return false;
    destroyDetached();
    live.add(new Chart(canvas, config));
    return true;
  };
  if (!start()) requestAnimationFrame(() => start());
}

// series: [{label, values: [numbers]}] over the same `labels`; links[i] (optional) is the
// href of the events behind labels[i].
export function chartFigure({ id, title, kind = 'bar', labels, series, links = [], valueWords }) {
  const canvas = el('canvas', { role: 'img', 'aria-label': title + '. The same figures are in the table below.' });
  const words = valueWords || ((n) => numberFormat.format(n));
  drawWhenAttached(canvas, {
    type: kind,
    data: {
      labels,
      datasets: series.map((s, i) => ({
        label: s.label,
        data: s.values,
        backgroundColor: PALETTE[i % PALETTE.length],
        borderColor: PALETTE[i % PALETTE.length],
      })),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: kind === 'bar' && labels.length > 8 ? 'y' : 'x',
      plugins: { legend: { display: series.length > 1 } },
      onClick: (_event, elements) => {
        const link = elements.length ? links[elements[0].index] : undefined;
        if (link) location.hash = link;
      },
      onHover: (event, elements) => {
        event.native.target.style.cursor = elements.length && links[elements[0].index] ? 'pointer' : 'default';
      },
    },
  });
  const rows = labels.map((label, i) => el('tr', null,
    el('th', { scope: 'row' }, links[i] ? el('a', { href: links[i] }, label) : label),
    series.map((s) => el('td', { className: 'numeric' }, words(s.values[i] ?? 0)))));
  return el('figure', { className: 'chart', id },
    el('figcaption', { className: 'chart__title' }, title),
    el('div', { className: 'chart__canvas' }, canvas),
    table({ caption: title, headings: ['', ...series.map((s) => s.label)], rows }));
}
