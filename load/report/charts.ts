/** Small inline-SVG line charts (no CDN, no script): the report must open from disk. */
export interface Series {
  readonly name: string;
  readonly colour: string;
  readonly points: readonly (readonly [number, number])[];
}

export interface ChartInput {
  readonly title: string;
  readonly series: readonly Series[];
  readonly xLabel: (x: number) => string;
  readonly yLabel: (y: number) => string;
  readonly xTicks: readonly number[];
  readonly width?: number;
  readonly height?: number;
  /** Horizontal reference lines, e.g. the p95 threshold. */
  readonly limits?: readonly { readonly y: number; readonly label: string }[];
}

const escapeXml = (text: string): string => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function lineChart(input: ChartInput): string {
  const width = input.width ?? 720;
  const height = input.height ?? 260;
  const pad = { left: 70, right: 20, top: 28, bottom: 36 };
  const all = input.series.flatMap((s) => s.points);
  const xs = [...all.map((p) => p[0]), ...input.xTicks];
  const minX = Math.min(...xs, 0);
  const maxX = Math.max(...xs, minX + 1);
  const dataMax = Math.max(...all.map((p) => p[1]), 1e-6);
  // A limit far above the data would flatten every line; it is named in the title instead.
  const limits = (input.limits ?? []).filter((l) => l.y <= dataMax * 2);
  const offScale = (input.limits ?? []).filter((l) => l.y > dataMax * 2);
  const maxY = Math.max(dataMax, ...limits.map((l) => l.y)) * 1.1;
  const xPixel = (x: number) => pad.left + ((x - minX) / (maxX - minX)) * (width - pad.left - pad.right);
  const yPixel = (y: number) => height - pad.bottom - (y / maxY) * (height - pad.top - pad.bottom);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(input.title)}">`,
  );
  const title = offScale.length === 0 ? input.title : `${input.title} — ${offScale.map((l) => l.label).join(', ')}: far above`;
  parts.push(`<text x="${pad.left}" y="16" font-size="13" font-weight="bold">${escapeXml(title)}</text>`);
  for (let i = 0; i <= 4; i += 1) {
    const y = (maxY / 4) * i;
    parts.push(
      `<line x1="${pad.left}" x2="${width - pad.right}" y1="${yPixel(y).toFixed(1)}" y2="${yPixel(y).toFixed(1)}" stroke="#ddd"/>`,
    );
    parts.push(
      `<text x="${pad.left - 6}" y="${(yPixel(y) + 4).toFixed(1)}" font-size="10" text-anchor="end">${escapeXml(input.yLabel(y))}</text>`,
    );
  }
  for (const x of input.xTicks) {
    parts.push(
      `<text x="${xPixel(x).toFixed(1)}" y="${height - pad.bottom + 14}" font-size="10" text-anchor="middle">${escapeXml(input.xLabel(x))}</text>`,
    );
  }
  for (const limit of limits) {
    parts.push(
      `<line x1="${pad.left}" x2="${width - pad.right}" y1="${yPixel(limit.y).toFixed(1)}" y2="${yPixel(limit.y).toFixed(1)}" stroke="#c00" stroke-dasharray="4 3"/>`,
    );
    parts.push(
      `<text x="${width - pad.right}" y="${(yPixel(limit.y) - 3).toFixed(1)}" font-size="10" fill="#c00" text-anchor="end">${escapeXml(limit.label)}</text>`,
    );
  }
  input.series.forEach((s, i) => {
    if (s.points.length > 0) {
      const path = s.points.map((p) => `${xPixel(p[0]).toFixed(1)},${yPixel(p[1]).toFixed(1)}`).join(' ');
      parts.push(`<polyline fill="none" stroke="${escapeXml(s.colour)}" stroke-width="2" points="${path}"/>`);
      for (const p of s.points)
        parts.push(`<circle cx="${xPixel(p[0]).toFixed(1)}" cy="${yPixel(p[1]).toFixed(1)}" r="2.5" fill="${escapeXml(s.colour)}"/>`);
    }
    parts.push(
      `<text x="${pad.left + 10 + i * 90}" y="${height - 6}" font-size="11" fill="${escapeXml(s.colour)}">■ ${escapeXml(s.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}
