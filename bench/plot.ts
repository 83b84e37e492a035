import type { Results } from './report.ts';

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2'];
const W = 320;
const H = 220;
const PAD = { left: 48, right: 12, top: 28, bottom: 34 };

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Requests/s against connections, one panel per scenario and one line per system. Hand-written
 * SVG (a few dozen lines) instead of a charting dependency for one static figure.
 */
export function renderSvg(results: Results): string {
  const scenarios = results.options.scenarios;
  const conns = results.options.connections;
  const parts: string[] = [];
  scenarios.forEach((name, i) => {
    const x0 = i * W;
    const series = results.systems
      .map((s, k) => ({ id: s.id, color: COLORS[k % COLORS.length], runs: s.scenarios[name]?.runs ?? [] }))
      .filter((s) => s.runs.length);
    const max = Math.max(1, ...series.flatMap((s) => s.runs.map((r) => r.rps)));
    const px = (c: number) => x0 + PAD.left + (conns.length === 1 ? 0.5 : conns.indexOf(c) / (conns.length - 1)) * (W - PAD.left - PAD.right);
    const py = (v: number) => PAD.top + (1 - v / max) * (H - PAD.top - PAD.bottom);
    parts.push(`<text x="${x0 + W / 2}" y="16" text-anchor="middle" font-weight="bold">${esc(name)}</text>`);
    parts.push(`<line x1="${x0 + PAD.left}" y1="${py(0)}" x2="${x0 + W - PAD.right}" y2="${py(0)}" stroke="#999"/>`);
    parts.push(`<line x1="${x0 + PAD.left}" y1="${PAD.top}" x2="${x0 + PAD.left}" y2="${py(0)}" stroke="#999"/>`);
    for (const f of [0, 0.5, 1]) {
      parts.push(`<text x="${x0 + PAD.left - 4}" y="${py(max * f) + 4}" text-anchor="end" font-size="10">${Math.round(max * f)}</text>`);
    }
    for (const c of conns) parts.push(`<text x="${px(c)}" y="${H - PAD.bottom + 14}" text-anchor="middle" font-size="10">${c}</text>`);
    parts.push(`<text x="${x0 + W / 2}" y="${H - 6}" text-anchor="middle" font-size="10">connections (rps on y)</text>`);
    for (const s of series) {
      const points = s.runs.map((r) => `${px(r.connections).toFixed(1)},${py(r.rps).toFixed(1)}`).join(' ');
      parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${points}"/>`);
      for (const r of s.runs) parts.push(`<circle cx="${px(r.connections).toFixed(1)}" cy="${py(r.rps).toFixed(1)}" r="3" fill="${s.color}"/>`);
    }
  });
  const legendY = H + 14;
  results.systems.forEach((s, k) => {
    const x = 10 + k * 150;
    parts.push(`<rect x="${x}" y="${legendY - 9}" width="12" height="12" fill="${COLORS[k % COLORS.length]}"/>`);
    parts.push(`<text x="${x + 16}" y="${legendY + 1}" font-size="11">${esc(s.id)}</text>`);
  });
  const width = Math.max(W * scenarios.length, 150 * results.systems.length + 20);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${H + 28}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<title>${esc(`Requests/s vs connections — ${results.label}`)}</title>
${parts.join('\n')}
</svg>
`;
}
