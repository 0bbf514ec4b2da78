import type uPlot from 'uplot';
import { h } from './dom.js';

type UPlotConstructor = typeof uPlot;
let loading: Promise<UPlotConstructor> | undefined;

/** uPlot, loaded once from /console/vendor (the package's ES module build). */
function loadUPlot(): Promise<UPlotConstructor> {
  const url = '/console/vendor/uPlot.esm.js';
  loading ??= (import(url) as Promise<{ default: UPlotConstructor }>).then((m) => m.default);
  return loading;
}

const palette = ['#1f4e79', '#c0392b', '#1e7b34', '#8e44ad', '#d35400', '#16a085', '#7f8c8d', '#b7950b', '#2c3e50', '#e84393'];

/** A line chart over time: `times` in epoch milliseconds, one series per label. */
export function lineChart(title: string, times: number[], series: { label: string; values: (number | null)[] }[], options: { unit?: string; testId?: string } = {}): HTMLElement {
  const holder = h('div', { class: 'chart' });
  const box = h('div', { class: 'panel', ...(options.testId ? { data: { testid: options.testId } } : {}) }, h('h2', {}, title), holder);
  if (times.length === 0 || series.length === 0) {
    holder.appendChild(h('p', { class: 'muted' }, 'No activity in this window yet.'));
    return box;
  }
  void loadUPlot().then((UPlot) => {
    const width = Math.max(320, Math.min(holder.clientWidth || 560, 900));
    new UPlot(
      {
        width,
        height: 220,
        series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: palette[i % palette.length] ?? '#333', width: 1.5, spanGaps: false }))],
        axes: [{}, { label: options.unit ?? '', size: 60 }],
        scales: { x: { time: true } },
        legend: { show: true },
      },
      [times.map((t) => t / 1000), ...series.map((s) => s.values)],
      holder,
    );
  });
  return box;
}
